// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>

#include "kex_util.h"
#include "names.h"

int kex_test_engine(struct kex_engine *e, const char *teps,
		    const char *aeads)
{
	unsigned int ids[TCPCRYPT_MAX_AEADS];
	uint8_t tep_ids[TCPCRYPT_MAX_TEPS];
	uint16_t aead_ids[TCPCRYPT_MAX_AEADS];
	int n_teps, n_aeads, i;
	char err[128];

	n_teps = tc_parse_name_list(&tc_tep_names, teps, ids,
				    TCPCRYPT_MAX_TEPS, err, sizeof(err));
	if (n_teps < 0)
		return -EINVAL;
	for (i = 0; i < n_teps; i++)
		tep_ids[i] = (uint8_t)ids[i];
	n_aeads = tc_parse_name_list(&tc_aead_names, aeads, ids,
				     TCPCRYPT_MAX_AEADS, err, sizeof(err));
	if (n_aeads < 0)
		return -EINVAL;
	for (i = 0; i < n_aeads; i++)
		aead_ids[i] = (uint16_t)ids[i];
	return kex_engine_init(e, tep_ids, (unsigned int)n_teps, aead_ids,
			       (unsigned int)n_aeads);
}

size_t kex_test_transcript(uint8_t tep, uint8_t *buf)
{
	const uint8_t t[] = { 0x45, 0x03, tep, 0x45, 0x04, 0x01, tep };

	memcpy(buf, t, sizeof(t));
	return sizeof(t);
}

void kex_test_request(struct kex_test_request *r, uint64_t conn_id,
		      uint8_t op, uint8_t tep, const uint8_t *init,
		      size_t init_len)
{
	memset(r, 0, sizeof(*r));
	r->req.conn_id = conn_id;
	r->req.op = op;
	r->req.tep = tep;
	r->req.transcript = r->transcript;
	r->req.transcript_len = kex_test_transcript(tep, r->transcript);
	r->req.init = init;
	r->req.init_len = init_len;
}

uint32_t kex_test_exchange(struct kex_engine *a, struct kex_engine *b,
			   uint64_t conn_id, uint8_t tep, int64_t now,
			   struct kex_test_run *run)
{
	struct kex_test_request r;

	memset(run, 0, sizeof(*run));
	kex_test_request(&r, conn_id, TCPCRYPT_KEX_INIT1_NEEDED, tep, NULL, 0);
	kex_engine_handle(a, &r.req, now, &run->init1);
	if (run->init1.error)
		return run->init1.error;
	kex_test_request(&r, conn_id, TCPCRYPT_KEX_INIT1_RECEIVED, tep,
			 run->init1.init, run->init1.init_len);
	kex_engine_handle(b, &r.req, now, &run->init2);
	if (run->init2.error)
		return run->init2.error;
	kex_test_request(&r, conn_id, TCPCRYPT_KEX_INIT2_RECEIVED, tep,
			 run->init2.init, run->init2.init_len);
	kex_engine_handle(a, &r.req, now, &run->keys);
	return run->keys.error;
}
