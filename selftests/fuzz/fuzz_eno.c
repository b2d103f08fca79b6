// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the TCP-ENO codec. The input is used twice:
 *  - as a whole TCP options area for tcpc_eno_scan(), whose ENO option (if
 *    any) is parsed as SYN-form;
 *  - as the body of a SYN-form option (45, then the input: its first byte
 *    is the length byte) for tcpc_eno_parse_syn().
 * Every option that parses is rebuilt in canonical form, which must parse
 * to the same suboptions and rebuild to the same bytes; it is also
 * negotiated against fixed local options, and the results must be
 * consistent with both options.
 */
#include <stdlib.h>

#include "eno.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_parsed(const struct tcpc_eno_syn *s)
{
	unsigned int i;

	CHECK(s->raw_len >= 2 && s->raw_len <= TCPC_TCP_OPTSPACE);
	CHECK(s->nteps <= TCPC_ENO_MAX_SUBOPTS);
	CHECK(s->gopt_explicit || s->gopt == 0);
	CHECK(s->gopt <= TCPC_ENO_GOPT_MAX);
	for (i = 0; i < s->nteps; i++) {
		const struct tcpc_eno_tep *t = &s->teps[i];

		CHECK(t->id >= TCPC_ENO_TEP_MIN && t->id <= TCPC_ENO_TEP_MAX);
		CHECK(t->v <= 1 && (t->v || !t->len));
		CHECK(t->off >= 3 && t->off + t->len <= s->raw_len);
	}
}

static unsigned int to_subs(const struct tcpc_eno_syn *s,
			    struct tcpc_eno_sub *subs)
{
	unsigned int i;

	for (i = 0; i < s->nteps; i++) {
		subs[i].id = s->teps[i].id;
		subs[i].v = s->teps[i].v;
		subs[i].len = s->teps[i].len;
		subs[i].data = tcpc_eno_tep_data(s, &s->teps[i]);
	}
	return s->nteps;
}

static void check_same(const struct tcpc_eno_syn *x,
		       const struct tcpc_eno_syn *y)
{
	unsigned int i;

	CHECK(x->gopt == y->gopt && x->gopt_explicit == y->gopt_explicit);
	CHECK(x->nteps == y->nteps);
	for (i = 0; i < x->nteps; i++) {
		CHECK(x->teps[i].id == y->teps[i].id);
		CHECK(x->teps[i].v == y->teps[i].v);
		CHECK(x->teps[i].len == y->teps[i].len);
		CHECK(!memcmp(tcpc_eno_tep_data(x, &x->teps[i]),
			      tcpc_eno_tep_data(y, &y->teps[i]),
			      x->teps[i].len));
	}
}

/* Canonical rebuild: never longer, same meaning, a fixed point */
static void check_rebuild(const struct tcpc_eno_syn *s)
{
	struct tcpc_eno_sub subs[TCPC_ENO_MAX_SUBOPTS];
	u8 canon[TCPC_TCP_OPTSPACE], again[TCPC_TCP_OPTSPACE];
	int gopt = s->gopt_explicit ? s->gopt : TCPC_ENO_GOPT_IMPLICIT;
	unsigned int n = to_subs(s, subs);
	struct tcpc_eno_syn c;
	int len, len2;

	len = tcpc_eno_build_syn(canon, sizeof(canon), gopt, subs, n);
	CHECK(len >= 2 && len <= s->raw_len);
	CHECK(tcpc_eno_parse_syn(canon, len, &c) == 0);
	check_same(s, &c);
	n = to_subs(&c, subs);
	len2 = tcpc_eno_build_syn(again, sizeof(again), gopt, subs, n);
	CHECK(len2 == len && !memcmp(again, canon, len));
	CHECK(tcpc_eno_build_syn(again, len - 1, gopt, subs, n) == -ENOSPC);
}

static bool in_option(const struct tcpc_eno_syn *s, u8 id)
{
	unsigned int i;

	for (i = 0; i < s->nteps; i++)
		if (s->teps[i].id == id)
			return true;
	return false;
}

static bool odd_ids_only(void *priv, const struct tcpc_eno_sub *a,
			 const struct tcpc_eno_sub *b)
{
	(void)priv;
	return a->id == b->id && (b->id & 1);
}

static void check_result(const struct tcpc_eno_syn *local,
			 const struct tcpc_eno_syn *remote,
			 const struct tcpc_eno_result *r)
{
	const struct tcpc_eno_syn *a = r->local_is_b ? remote : local;
	const struct tcpc_eno_syn *b = r->local_is_b ? local : remote;
	u8 tr[TCPC_ENO_TRANSCRIPT_MAX];

	CHECK(tcpc_eno_b(local) != tcpc_eno_b(remote));
	CHECK(in_option(a, r->tep) && in_option(b, r->tep));
	CHECK(r->a_sub.id == r->tep && r->b_sub.id == r->tep);
	CHECK((r->sessid_tep & ~TCPC_ENO_V) == r->tep);
	CHECK(r->resume == !!(r->sessid_tep & TCPC_ENO_V));
	CHECK(!r->resume || r->b_sub.len >= TCPC_ENO_RESUME_MIN_DATA);
	CHECK(tcpc_eno_transcript(tr, sizeof(tr), a, b) ==
	      a->raw_len + b->raw_len);
	CHECK(!memcmp(tr, a->raw, a->raw_len));
}

static void check_negotiate(const struct tcpc_eno_syn *remote)
{
	static const u8 locals[][8] = {
		{ 0x45, 0x06, 0x21, 0x22, 0x23, 0x24 },
		{ 0x45, 0x04, 0x01, 0x23 },
		{ 0x45, 0x05, 0x03, 0x24, 0x21 },
	};
	struct tcpc_eno_policy pol = { .aa_mandatory = false };
	struct tcpc_eno_result r, r2;
	struct tcpc_eno_syn l;
	unsigned int i, open;

	for (i = 0; i < ARRAY_SIZE(locals); i++) {
		CHECK(!tcpc_eno_parse_syn(locals[i], locals[i][1], &l));
		for (open = 0; open < 3; open++) {
			pol.aa_mandatory = open == 1;
			pol.tep_valid = i == 2 ? odd_ids_only : NULL;
			if (tcpc_eno_negotiate(&l, remote, open, &pol, &r) ==
			    TCPC_ENO_OK)
				check_result(&l, remote, &r);
			/* The peer, negotiating the same pair, agrees */
			if (open != TCPC_ENO_SIMULTANEOUS)
				continue;
			tcpc_eno_negotiate(remote, &l, open, NULL, &r2);
			tcpc_eno_negotiate(&l, remote, open, NULL, &r);
			CHECK(r.verdict == r2.verdict);
			CHECK(r.verdict != TCPC_ENO_OK ||
			      (r.tep == r2.tep && r.sessid_tep ==
			       r2.sessid_tep && r.local_is_b != r2.local_is_b));
		}
	}
}

static void check_option(const u8 *opt, size_t avail)
{
	struct tcpc_eno_syn s;
	int err = tcpc_eno_parse_syn(opt, avail, &s);

	CHECK(err == 0 || err == -EBADMSG);
	if (err)
		return;
	check_parsed(&s);
	check_rebuild(&s);
	check_negotiate(&s);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 opt[TCPC_TCP_OPTSPACE + 1];
	struct tcpc_eno_scan sc;
	size_t n;

	if (!tcpc_eno_scan(data, size, &sc) && sc.count) {
		CHECK(sc.eno >= data && sc.eno + sc.eno_len <= data + size);
		CHECK(sc.eno[0] == TCPC_ENO_KIND && sc.eno_len >= 2);
		CHECK(tcpc_eno_syn_option(&sc) == (sc.count == 1 ? sc.eno :
						   NULL));
		check_option(sc.eno, sc.eno_len);
	}
	n = size < TCPC_TCP_OPTSPACE ? size : TCPC_TCP_OPTSPACE;
	opt[0] = TCPC_ENO_KIND;
	if (n)
		memcpy(opt + 1, data, n);
	check_option(opt, n + 1);
	return 0;
}
