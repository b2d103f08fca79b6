// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "aead_desc.h"
#include "eno.h"
#include "hmac_openssl.h"
#include "init_msg.h"
#include "kdf.h"
#include "kex_engine.h"
#include "log.h"
#include "names.h"

#ifdef TC_TEST_HOOKS
const struct kex_test_hooks *kex_test_hooks;
#endif

static int get_random(uint8_t *buf, size_t len)
{
#ifdef TC_TEST_HOOKS
	if (kex_test_hooks && kex_test_hooks->random)
		return kex_test_hooks->random(kex_test_hooks->arg, buf, len);
#endif
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

static int generate_key(uint8_t tep, struct tc_kex_key **key)
{
#ifdef TC_TEST_HOOKS
	if (kex_test_hooks && kex_test_hooks->keygen)
		return kex_test_hooks->keygen(kex_test_hooks->arg, tep, key);
#endif
	return tc_kex_generate(tep, key);
}

const char *kex_op_name(uint8_t op, char *buf, size_t len)
{
	switch (op) {
	case TCPCRYPT_KEX_INIT1_NEEDED:
		return "INIT1_NEEDED";
	case TCPCRYPT_KEX_INIT1_RECEIVED:
		return "INIT1_RECEIVED";
	case TCPCRYPT_KEX_INIT2_RECEIVED:
		return "INIT2_RECEIVED";
	}
	snprintf(buf, len, "op %u", op);
	return buf;
}

/* Log (at -v) why req is refused, and return err */
static int __attribute__((format(printf, 3, 4)))
refuse(const struct kex_request *req, int err, const char *fmt, ...)
{
	char why[256], op[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_debug("conn %" PRIu64 ": %s refused: %s (%s)", req->conn_id,
		  kex_op_name(req->op, op, sizeof(op)), why, strerror(-err));
	return err;
}

int kex_engine_init(struct kex_engine *e, const uint8_t *teps,
		    unsigned int n_teps, const uint16_t *aeads,
		    unsigned int n_aeads)
{
	unsigned int i;

	memset(e, 0, sizeof(*e));
	if (!n_teps || n_teps > TCPCRYPT_MAX_TEPS ||
	    !n_aeads || n_aeads > TCPCRYPT_MAX_AEADS)
		return -EINVAL;
	for (i = 0; i < n_teps; i++) {
		if (!tc_kex_find(teps[i]) || tcpc_tep_pub_len(teps[i]) < 0)
			return -EINVAL;
		e->teps[i] = teps[i];
	}
	for (i = 0; i < n_aeads; i++) {
		if (!tcpc_aead_find(aeads[i]))
			return -EINVAL;
		tcpc_put_be16(e->aeads + 2 * i, aeads[i]);
	}
	e->n_teps = n_teps;
	e->n_aeads = n_aeads;
	kex_table_init(&e->pending, KEX_STATE_MAX, KEX_STATE_TTL_MS);
	return 0;
}

void kex_engine_destroy(struct kex_engine *e)
{
	kex_table_flush(&e->pending);
}

void kex_reply_wipe(struct kex_reply *rep)
{
	OPENSSL_cleanse(rep, sizeof(*rep));
}

static bool announced(const struct kex_engine *e, uint8_t tep)
{
	unsigned int i;

	for (i = 0; i < e->n_teps; i++)
		if (e->teps[i] == tep)
			return true;
	return false;
}

/* Pub in an Init message starts this far before the key the codec finds */
static size_t key_prefix_len(uint8_t tep)
{
	return (size_t)(tcpc_tep_pub_len(tep) - tcpc_tep_key_len(tep));
}

/* The peer's Pub (length prefix included) in its wire form, for kex.c */
static const uint8_t *peer_pub(const uint8_t *key, uint8_t tep)
{
	return key - key_prefix_len(tep);
}

/* kex.c's refusals as reply errnos: a key in the wrong form is malformed */
static int peer_key_error(int err)
{
	return err == -EINVAL ? -EBADMSG : err;
}

static bool lists_tep(const struct tcpc_eno_syn *syn, uint8_t tep)
{
	unsigned int i;

	for (i = 0; i < syn->nteps; i++)
		if (syn->teps[i].id == tep)
			return true;
	return false;
}

/*
 * The ENO transcript is A's SYN-form option then B's, each well formed
 * and each carrying the negotiated TEP (RFC 8547 4.5 makes it valid only
 * then). It enters the PRK as given; this only refuses nonsense.
 */
static bool transcript_ok(const uint8_t *t, size_t len, uint8_t tep)
{
	struct tcpc_eno_syn syn;
	size_t off = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if (off >= len || tcpc_eno_parse_syn(t + off, len - off, &syn) ||
		    !lists_tep(&syn, tep))
			return false;
		off += syn.raw_len;
	}
	return off == len;
}

static int check_tep(const struct kex_engine *e, const struct kex_request *req)
{
	if (!req->tep)
		return refuse(req, -EBADMSG, "no TEP");
	if (!announced(e, req->tep))
		return refuse(req, -EPROTONOSUPPORT,
			      "TEP 0x%02x was not announced", req->tep);
	return 0;
}

/* What a request carrying the peer's Init message must have */
static int check_received(const struct kex_engine *e,
			  const struct kex_request *req)
{
	int err = check_tep(e, req);

	if (err)
		return err;
	if (!req->transcript ||
	    !transcript_ok(req->transcript, req->transcript_len, req->tep))
		return refuse(req, -EBADMSG,
			      "the transcript is not two SYN-form ENO options with TEP 0x%02x",
			      req->tep);
	if (!req->init)
		return refuse(req, -EBADMSG, "no Init message");
	return 0;
}

/* A fresh key pair (or the test's) and its public key in wire form */
static int make_key(uint8_t tep, struct tc_kex_key **key,
		    uint8_t pub[TC_KEX_MAX_PUB])
{
	int err, len;

	err = generate_key(tep, key);
	if (err)
		return err;
	len = tc_kex_public(*key, pub, TC_KEX_MAX_PUB);
	if (len < 0)
		return len;
	return len == tcpc_tep_pub_len(tep) ? 0 : -EIO;
}

static int compute_prk(const uint8_t *n_a, const struct kex_request *req,
		       const uint8_t *init1, size_t init1_len,
		       const uint8_t *init2, size_t init2_len,
		       const uint8_t *es, size_t es_len,
		       uint8_t prk[TCPCRYPT_PRK_LEN])
{
	const struct tcpc_prk_input in = {
		.n_a = n_a,
		.transcript = { req->transcript, req->transcript_len },
		.init1 = { init1, init1_len },
		.init2 = { init2, init2_len },
		.es = { es, es_len },
	};

	return tcpc_kdf_prk(&tcpc_hmac_openssl, &in, prk) ? -EIO : 0;
}

/* A: a key pair and N_A, kept until Init2 comes; Init1 in the reply */
static int start_a(struct kex_engine *e, const struct kex_request *req,
		   int64_t now, struct kex_reply *rep)
{
	uint8_t pub[TC_KEX_MAX_PUB];
	struct tcpc_init1 m = { 0 };
	struct kex_pending *p;
	int err, len;

	err = check_tep(e, req);
	if (err)
		return err;
	p = kex_pending_alloc();
	if (!p)
		return refuse(req, -ENOMEM, "no memory for the exchange");
	p->conn_id = req->conn_id;
	p->tep = req->tep;

	err = make_key(req->tep, &p->key, pub);
	if (err) {
		refuse(req, err, "cannot make a key pair");
		goto out_free;
	}
	err = get_random(p->n_a, sizeof(p->n_a));
	if (err) {
		refuse(req, err, "no random N_A");
		goto out_free;
	}
	m.tep = req->tep;
	m.nciphers = (uint8_t)e->n_aeads;
	m.ciphers = e->aeads;
	m.nonce = p->n_a;
	m.key = pub + key_prefix_len(req->tep);
	len = tcpc_init1_encode(p->init1, sizeof(p->init1), &m);
	if (len < 0) {
		err = refuse(req, -EIO, "cannot encode Init1 (%s)",
			     strerror(-len));
		goto out_free;
	}
	p->init1_len = (size_t)len;

	err = kex_table_add(&e->pending, p, now);
	if (err) {
		refuse(req, err, "%u key exchanges already wait for Init2",
		       e->pending.count);
		goto out_free;
	}
	memcpy(rep->init, p->init1, p->init1_len);
	rep->init_len = p->init1_len;
	return 0;

out_free:
	kex_pending_free(p);
	return err;
}

/* B: Init2 and the PRK, from A's Init1; nothing is kept */
static int answer_b(struct kex_engine *e, const struct kex_request *req,
		    struct kex_reply *rep)
{
	uint8_t pub[TC_KEX_MAX_PUB], es[TC_KEX_MAX_ES], n_b[KEX_NONCE_LEN];
	struct tc_kex_key *key = NULL;
	struct tcpc_init2 m2 = { 0 };
	struct tcpc_init1 m1;
	int err, aead, len, es_len;

	err = check_received(e, req);
	if (err)
		return err;
	if (tcpc_init1_decode(req->init, req->init_len, req->tep, &m1) ||
	    m1.msg_len != req->init_len)
		return refuse(req, -EBADMSG, "malformed Init1 (%zu bytes)",
			      req->init_len);
	aead = tcpc_aead_choose(e->aeads, e->n_aeads, &m1);
	if (aead < 0)
		return refuse(req, -EPROTO,
			      "none of the %u AEADs Init1 offers is ours",
			      m1.nciphers);

	err = make_key(req->tep, &key, pub);
	if (err) {
		refuse(req, err, "cannot make a key pair");
		goto out;
	}
	es_len = tc_kex_derive(key, peer_pub(m1.key, req->tep),
			       (size_t)tcpc_tep_pub_len(req->tep), es,
			       sizeof(es));
	if (es_len < 0) {
		err = refuse(req, peer_key_error(es_len),
			     "A's public key refused");
		goto out;
	}
	err = get_random(n_b, sizeof(n_b));
	if (err) {
		refuse(req, err, "no random N_B");
		goto out;
	}
	m2.tep = req->tep;
	m2.cipher = (uint16_t)aead;
	m2.nonce = n_b;
	m2.key = pub + key_prefix_len(req->tep);
	len = tcpc_init2_encode(rep->init, sizeof(rep->init), &m2);
	if (len < 0) {
		err = refuse(req, -EIO, "cannot encode Init2 (%s)",
			     strerror(-len));
		goto out;
	}
	rep->init_len = (size_t)len;
	err = compute_prk(m1.nonce, req, req->init, req->init_len, rep->init,
			  rep->init_len, es, (size_t)es_len, rep->prk);
	if (err) {
		refuse(req, err, "cannot compute the PRK");
		goto out;
	}
	rep->has_keys = true;
	rep->aead = (uint16_t)aead;
out:
	OPENSSL_cleanse(es, sizeof(es));
	tc_kex_free(key);
	return err;
}

/* A: B's Init2 against the Init1 we sent; the exchange ends either way */
static int finish_a(struct kex_engine *e, const struct kex_request *req,
		    int64_t now, struct kex_reply *rep)
{
	struct kex_pending *p = kex_table_take(&e->pending, req->conn_id, now);
	uint8_t es[TC_KEX_MAX_ES];
	struct tcpc_init1 m1;
	struct tcpc_init2 m2;
	int err, es_len;

	if (!p)
		return refuse(req, -ENOENT,
			      "no Init1 waits for this Init2 (never sent, or older than %d s)",
			      KEX_STATE_TTL_MS / 1000);
	err = check_received(e, req);
	if (err)
		goto out;
	if (req->tep != p->tep) {
		err = refuse(req, -EPROTO, "TEP 0x%02x, but Init1 was for 0x%02x",
			     req->tep, p->tep);
		goto out;
	}
	if (tcpc_init2_decode(req->init, req->init_len, req->tep, &m2) ||
	    m2.msg_len != req->init_len) {
		err = refuse(req, -EBADMSG, "malformed Init2 (%zu bytes)",
			     req->init_len);
		goto out;
	}
	if (tcpc_init1_decode(p->init1, p->init1_len, p->tep, &m1)) {
		err = refuse(req, -EIO, "our own Init1 does not decode");
		goto out;
	}
	/* RFC 8548 3.3: A MUST abort on an AEAD it did not offer */
	if (!tcpc_init2_cipher_ok(&m1, &m2)) {
		err = refuse(req, -EPROTO,
			     "Init2 chose AEAD 0x%04x, which Init1 did not offer",
			     m2.cipher);
		goto out;
	}
	es_len = tc_kex_derive(p->key, peer_pub(m2.key, req->tep),
			       (size_t)tcpc_tep_pub_len(req->tep), es,
			       sizeof(es));
	if (es_len < 0) {
		err = refuse(req, peer_key_error(es_len),
			     "B's public key refused");
		goto out;
	}
	err = compute_prk(p->n_a, req, p->init1, p->init1_len, req->init,
			  req->init_len, es, (size_t)es_len, rep->prk);
	if (err) {
		refuse(req, err, "cannot compute the PRK");
		goto out;
	}
	rep->has_keys = true;
	rep->aead = m2.cipher;
out:
	OPENSSL_cleanse(es, sizeof(es));
	kex_pending_free(p);
	return err;
}

static void log_success(const struct kex_request *req,
			const struct kex_reply *rep)
{
	const char *tep = tc_tep_name(req->tep), *aead = tc_aead_name(rep->aead);
	char op[16];

	log_trace("conn %" PRIu64 ": %s: %s%s%s%s", req->conn_id,
		  kex_op_name(req->op, op, sizeof(op)), tep ? tep : "?",
		  rep->init_len ? ", Init message" : "",
		  rep->has_keys ? ", PRK for " : "",
		  rep->has_keys && aead ? aead : "");
}

void kex_engine_handle(struct kex_engine *e, const struct kex_request *req,
		       int64_t now, struct kex_reply *rep)
{
	int err;

	memset(rep, 0, sizeof(*rep));
	rep->conn_id = req->conn_id;
	switch (req->op) {
	case TCPCRYPT_KEX_INIT1_NEEDED:
		err = start_a(e, req, now, rep);
		break;
	case TCPCRYPT_KEX_INIT1_RECEIVED:
		err = answer_b(e, req, rep);
		break;
	case TCPCRYPT_KEX_INIT2_RECEIVED:
		err = finish_a(e, req, now, rep);
		break;
	case 0:
		err = refuse(req, -EBADMSG, "no op");
		break;
	default:
		err = refuse(req, -EOPNOTSUPP, "unknown op");
		break;
	}
	if (err) {
		kex_reply_wipe(rep);
		rep->conn_id = req->conn_id;
		rep->error = (uint32_t)-err;
		return;
	}
	log_success(req, rep);
}
