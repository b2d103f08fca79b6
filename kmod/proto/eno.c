// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP-ENO option codec and negotiation (RFC 8547 sections 4 and 6, with
 * the tcpcrypt rules of RFC 8548 section 3.2). Every error path means
 * "disable ENO for this connection": callers never see a half result.
 */
#include "eno.h"

#define TCPC_OPT_EOL	0
#define TCPC_OPT_NOP	1

#define ENO_LENBYTE_MIN	0x80
#define ENO_VTEP_MIN	0xa0

static void eno_scan_one(struct tcpc_eno_scan *sc, const u8 *opt)
{
	if (opt[0] == TCPC_ENO_KIND) {
		if (!sc->count) {
			sc->eno = opt;
			sc->eno_len = opt[1];
		}
		sc->count++;
	} else if (opt[0] == TCPC_ENO_LEGACY_KIND && opt[1] >= 4 &&
		   tcpc_get_be16(opt + 2) == TCPC_ENO_LEGACY_EXID) {
		sc->legacy = true;
	}
}

/**
 * tcpc_eno_scan() - find the ENO options of a TCP options area
 * @opts: the options, after the fixed TCP header
 * @len: their length (data offset * 4 - 20)
 * @sc: receives the first ENO option, their count and the legacy flag
 *
 * Walks kind/length pairs as tcp_parse_options() does: NOP is one byte,
 * EOL ends the area. Unlike the kernel we refuse a length byte below 2 or
 * past the end: ENO must then be disabled, since we cannot tell which
 * options the peer meant (RFC 8547 4.6 fallback on an ill-formed SYN).
 *
 * Return: 0, or -EBADMSG when the area is malformed.
 */
int tcpc_eno_scan(const u8 *opts, size_t len, struct tcpc_eno_scan *sc)
{
	size_t i = 0;

	memset(sc, 0, sizeof(*sc));
	while (i < len) {
		if (opts[i] == TCPC_OPT_EOL)
			break;
		if (opts[i] == TCPC_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2 || opts[i + 1] < 2 || opts[i + 1] > len - i)
			return -EBADMSG;
		eno_scan_one(sc, opts + i);
		i += opts[i + 1];
	}
	return 0;
}

static int eno_add_tep(struct tcpc_eno_syn *syn, u8 b, unsigned int off,
		       unsigned int len)
{
	struct tcpc_eno_tep *t;

	if (syn->nteps >= TCPC_ENO_MAX_SUBOPTS)
		return -EBADMSG;
	t = &syn->teps[syn->nteps++];
	t->id = b & ~TCPC_ENO_V;
	t->v = !!(b & TCPC_ENO_V);
	t->off = off;
	t->len = len;
	return 0;
}

/* A length byte at @i: the next byte must be a TEP with v = 1 (a0-ff) */
static int eno_parse_lenbyte(struct tcpc_eno_syn *syn, unsigned int i)
{
	unsigned int dlen = (syn->raw[i] & TCPC_ENO_GOPT_MAX) + 1;
	int err;

	if (i + 1 >= syn->raw_len || syn->raw[i + 1] < ENO_VTEP_MIN ||
	    i + 2 + dlen > syn->raw_len)
		return -EBADMSG;
	err = eno_add_tep(syn, syn->raw[i + 1], i + 2, dlen);
	return err ? err : (int)(2 + dlen);
}

/* Parse the suboption at @i; return the bytes it takes or -EBADMSG */
static int eno_parse_subopt(struct tcpc_eno_syn *syn, unsigned int i)
{
	u8 b = syn->raw[i];
	int err;

	if (b <= TCPC_ENO_GOPT_MAX) {
		/* Later global suboptions are reserved: skip them (4.2) */
		if (!syn->gopt_explicit) {
			syn->gopt = b;
			syn->gopt_explicit = true;
		}
		return 1;
	}
	if (b < ENO_LENBYTE_MIN) {
		err = eno_add_tep(syn, b, i + 1, 0);
		return err ? err : 1;
	}
	if (b < ENO_VTEP_MIN)
		return eno_parse_lenbyte(syn, i);
	/* v = 1 without a length byte: the data runs to the end */
	err = eno_add_tep(syn, b, i + 1, syn->raw_len - i - 1);
	return err ? err : (int)(syn->raw_len - i);
}

/**
 * tcpc_eno_parse_syn() - parse a SYN-form ENO option
 * @opt: the option, from its kind byte (0x45)
 * @avail: bytes readable at @opt (the rest of the options area)
 * @syn: receives the global suboption and the TEP suboptions
 *
 * Only the first global suboption counts; without one, the implicit 0x00
 * applies and @syn->gopt_explicit is false. An option longer than the
 * 40-byte TCP option space cannot come from a TCP header and is refused.
 *
 * Return: 0; -EINVAL when @opt is not an ENO option; -EBADMSG when it is
 * ill-formed (ENO must then be disabled). @syn is undefined on error.
 */
int tcpc_eno_parse_syn(const u8 *opt, size_t avail, struct tcpc_eno_syn *syn)
{
	unsigned int i;
	int n;

	if (!avail || opt[0] != TCPC_ENO_KIND)
		return -EINVAL;
	if (avail < 2 || opt[1] < 2 || opt[1] > avail ||
	    opt[1] > TCPC_TCP_OPTSPACE)
		return -EBADMSG;
	memset(syn, 0, sizeof(*syn));
	syn->raw = opt;
	syn->raw_len = opt[1];
	for (i = 2; i < syn->raw_len; i += n) {
		n = eno_parse_subopt(syn, i);
		if (n < 0)
			return n;
	}
	return 0;
}

/* Bytes @sub takes on the wire; -EINVAL when it cannot be encoded */
static int eno_sub_size(const struct tcpc_eno_sub *sub, bool last)
{
	if (sub->id < TCPC_ENO_TEP_MIN || sub->id > TCPC_ENO_TEP_MAX ||
	    sub->v > 1)
		return -EINVAL;
	if (!sub->v)
		return sub->len ? -EINVAL : 1;
	if (last)
		return 1 + sub->len;
	if (!sub->len || sub->len > TCPC_ENO_LENBYTE_MAX)
		return -EINVAL;
	return 2 + sub->len;
}

static unsigned int eno_put_sub(u8 *p, const struct tcpc_eno_sub *sub,
				bool last)
{
	unsigned int n = 0;

	if (!sub->v) {
		p[0] = sub->id;
		return 1;
	}
	if (!last)
		p[n++] = ENO_LENBYTE_MIN | (sub->len - 1);
	p[n++] = sub->id | TCPC_ENO_V;
	if (sub->len)
		memcpy(p + n, sub->data, sub->len);
	return n + sub->len;
}

static int eno_syn_size(int gopt, const struct tcpc_eno_sub *subs,
			unsigned int nsubs)
{
	int size = 2 + (gopt != TCPC_ENO_GOPT_IMPLICIT);
	unsigned int i;
	int n;

	if (gopt < TCPC_ENO_GOPT_IMPLICIT || gopt > TCPC_ENO_GOPT_MAX)
		return -EINVAL;
	if (nsubs > TCPC_ENO_MAX_SUBOPTS)
		return -ENOSPC;
	for (i = 0; i < nsubs; i++) {
		n = eno_sub_size(&subs[i], i + 1 == nsubs);
		if (n < 0)
			return n;
		size += n;
	}
	return size;
}

/**
 * tcpc_eno_build_syn() - write a SYN-form ENO option
 * @buf: destination
 * @cap: bytes free in @buf (the TCP option space left)
 * @gopt: global suboption 0x00-0x1f, or TCPC_ENO_GOPT_IMPLICIT to send
 *	  none (an active opener with a = b = 0)
 * @subs: TEP suboptions, in increasing preference
 * @nsubs: how many
 *
 * The global suboption goes first. A v = 1 suboption that is not last
 * gets a length byte (1 to 32 data bytes); the last one carries its data
 * to the end of the option, the shorter encoding RFC 8547 4.1 suggests.
 *
 * Return: bytes written; -EINVAL for a suboption that cannot be encoded;
 * -ENOSPC when the option exceeds @cap or the 40-byte option space.
 */
int tcpc_eno_build_syn(u8 *buf, size_t cap, int gopt,
		       const struct tcpc_eno_sub *subs, unsigned int nsubs)
{
	int size = eno_syn_size(gopt, subs, nsubs);
	unsigned int i, n = 2;

	if (size < 0)
		return size;
	if (size > TCPC_TCP_OPTSPACE || (size_t)size > cap)
		return -ENOSPC;
	buf[0] = TCPC_ENO_KIND;
	buf[1] = size;
	if (gopt != TCPC_ENO_GOPT_IMPLICIT)
		buf[n++] = gopt;
	for (i = 0; i < nsubs; i++)
		n += eno_put_sub(buf + n, &subs[i], i + 1 == nsubs);
	return size;
}

/**
 * tcpc_eno_build_ack() - write the non-SYN-form option "45 02"
 * @buf: destination
 * @cap: bytes free in @buf
 *
 * tcpcrypt gives non-SYN-form contents no meaning, so it is always empty.
 *
 * Return: 2, or -ENOSPC.
 */
int tcpc_eno_build_ack(u8 *buf, size_t cap)
{
	if (cap < 2)
		return -ENOSPC;
	buf[0] = TCPC_ENO_KIND;
	buf[1] = 2;
	return 2;
}

/*
 * A resumption suboption with fewer than 9 data bytes is treated as the
 * same TEP with v = 0 (RFC 8548 3.2). We apply this to both A's and B's
 * suboptions, and so also to the session ID byte: the RFC 8547 rule "v as
 * B sent it" is read after this normalisation, which keeps a fresh key
 * exchange always at 0x21-0x24 and a resumed one at 0xa1-0xa4 (RFC 8548
 * 3.4). The data stays visible to the policy either way.
 */
static void eno_sub_view(const struct tcpc_eno_syn *syn,
			 const struct tcpc_eno_tep *t, struct tcpc_eno_sub *s)
{
	s->id = t->id;
	s->v = t->v && t->len >= TCPC_ENO_RESUME_MIN_DATA;
	s->data = tcpc_eno_tep_data(syn, t);
	s->len = t->len;
}

/*
 * The first suboption of A with the id of @bs that the policy accepts.
 * v bits play no part in the match (RFC 8548 3.2). When A repeats an id
 * (tcpcrypt defines no meaning for it), any of its copies may validate.
 */
static bool eno_match_a(const struct tcpc_eno_syn *a,
			const struct tcpc_eno_sub *bs,
			const struct tcpc_eno_policy *pol,
			struct tcpc_eno_sub *as)
{
	unsigned int j;

	for (j = 0; j < a->nteps; j++) {
		if (a->teps[j].id != bs->id)
			continue;
		eno_sub_view(a, &a->teps[j], as);
		if (!pol || !pol->tep_valid || pol->tep_valid(pol->priv, as, bs))
			return true;
	}
	return false;
}

/* The negotiated TEP is the last valid TEP in B's option (RFC 8547 4.5) */
static enum tcpc_eno_verdict eno_choose_tep(const struct tcpc_eno_syn *a,
					    const struct tcpc_eno_syn *b,
					    const struct tcpc_eno_policy *pol,
					    struct tcpc_eno_result *res)
{
	unsigned int i = b->nteps;

	while (i--) {
		eno_sub_view(b, &b->teps[i], &res->b_sub);
		if (!eno_match_a(a, &res->b_sub, pol, &res->a_sub))
			continue;
		res->tep = res->b_sub.id;
		res->resume = res->b_sub.v;
		res->sessid_tep = res->tep | (res->resume ? TCPC_ENO_V : 0);
		return TCPC_ENO_OK;
	}
	memset(&res->a_sub, 0, sizeof(res->a_sub));
	memset(&res->b_sub, 0, sizeof(res->b_sub));
	return TCPC_ENO_FAIL_NO_TEP;
}

/*
 * Roles come from the b bits alone (RFC 8547 4.3). A passive opener MUST
 * send b = 1 (4.2); we read a SYN-ACK with b = 0 as a failed negotiation
 * even when our own b = 1 would make the roles distinct, since that peer
 * broke the rule ENO relies on to detect echoed options.
 */
static enum tcpc_eno_verdict eno_roles(const struct tcpc_eno_syn *local,
				       const struct tcpc_eno_syn *remote,
				       enum tcpc_eno_open open)
{
	if (tcpc_eno_b(local) == tcpc_eno_b(remote))
		return TCPC_ENO_FAIL_SAME_B;
	if ((open == TCPC_ENO_ACTIVE && !tcpc_eno_b(remote)) ||
	    (open == TCPC_ENO_PASSIVE && !tcpc_eno_b(local)))
		return TCPC_ENO_FAIL_PASSIVE_B;
	return TCPC_ENO_OK;
}

/**
 * tcpc_eno_negotiate() - decide roles and the negotiated TEP
 * @local: our SYN-form option, as sent
 * @remote: the peer's SYN-form option, as received
 * @open: how we opened the connection
 * @pol: aa-mandatory mode and TEP validity check; NULL for neither
 * @res: the verdict, roles, TEP, session ID byte and both suboptions
 *
 * RFC 8547 4.6: same b bits, a passive opener without b, aa-mandatory
 * with a peer a = 0, a vacuous option and no valid TEP in common all
 * disable ENO. Among TEPs in both options, the last one in B's option
 * that @pol accepts wins. @res->resume tells whether B offered it with
 * v = 1 (and enough data); matching the identifiers is @pol's job.
 *
 * Return: @res->verdict, TCPC_ENO_OK on success.
 */
enum tcpc_eno_verdict tcpc_eno_negotiate(const struct tcpc_eno_syn *local,
					 const struct tcpc_eno_syn *remote,
					 enum tcpc_eno_open open,
					 const struct tcpc_eno_policy *pol,
					 struct tcpc_eno_result *res)
{
	const struct tcpc_eno_syn *a, *b;

	memset(res, 0, sizeof(*res));
	res->local_is_b = tcpc_eno_b(local);
	res->peer_a = tcpc_eno_a(remote);
	res->verdict = eno_roles(local, remote, open);
	if (res->verdict != TCPC_ENO_OK)
		return res->verdict;
	if (pol && pol->aa_mandatory && !res->peer_a)
		return res->verdict = TCPC_ENO_FAIL_AA_MANDATORY;
	a = res->local_is_b ? remote : local;
	b = res->local_is_b ? local : remote;
	if (!a->nteps || !b->nteps)
		return res->verdict = TCPC_ENO_FAIL_VACUOUS;
	res->verdict = eno_choose_tep(a, b, pol, res);
	return res->verdict;
}

/**
 * tcpc_eno_transcript() - copy the negotiation transcript
 * @buf: destination, TCPC_ENO_TRANSCRIPT_MAX bytes always suffice
 * @cap: its size
 * @a: host A's SYN-form option
 * @b: host B's SYN-form option
 *
 * The transcript is both options exactly as sent, A's first (RFC 8547
 * 4.8); an implicit global suboption never sent is not in it.
 *
 * Return: the transcript length, or -ENOSPC.
 */
int tcpc_eno_transcript(u8 *buf, size_t cap, const struct tcpc_eno_syn *a,
			const struct tcpc_eno_syn *b)
{
	size_t len = (size_t)a->raw_len + b->raw_len;

	if (len > cap)
		return -ENOSPC;
	memcpy(buf, a->raw, a->raw_len);
	memcpy(buf + a->raw_len, b->raw, b->raw_len);
	return len;
}
