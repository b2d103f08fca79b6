// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP option walking and SACK rewriting for the data path (dp_tcpopt.h).
 */
#include "dp_tcpopt.h"

static void parse_sack(const u8 *p, u8 olen, struct tcpc_dpopt *o)
{
	u32 body = olen - TCPC_DPOPT_SACK_BASE, i;

	o->has_sack = true;
	o->sack_len = olen;
	o->nsack = 0;
	/* a receiver ignores a SACK option of any other length (RFC 2018) */
	if (!body || body % TCPC_DPOPT_SACK_BLOCK ||
	    body / TCPC_DPOPT_SACK_BLOCK > TCPC_DPOPT_SACK_MAX)
		return;
	o->nsack = body / TCPC_DPOPT_SACK_BLOCK;
	for (i = 0; i < o->nsack; i++) {
		const u8 *b = p + TCPC_DPOPT_SACK_BASE +
			      i * TCPC_DPOPT_SACK_BLOCK;

		o->sack[i].start = tcpc_get_be32(b);
		o->sack[i].end = tcpc_get_be32(b + 4);
	}
}

/*
 * Walk the options of one segment (len bytes, at most 40). Options after
 * EOL are not looked at. -EINVAL when an option's length byte is missing,
 * below 2 or runs past the end, or when a timestamps or SACK option is
 * repeated: such a segment cannot be translated safely and is dropped.
 * A SACK option of a length no receiver accepts is reported with nsack 0,
 * so that the caller blanks it rather than pass foreign sequence numbers.
 */
int tcpc_dpopt_parse(const u8 *opt, u32 len, struct tcpc_dpopt *o)
{
	u32 i = 0;

	memset(o, 0, sizeof(*o));
	if (len > TCPC_DPOPT_SPACE)
		return -EINVAL;
	while (i < len) {
		u8 kind = opt[i], olen;

		if (kind == TCPC_DPOPT_EOL)
			break;
		if (kind == TCPC_DPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		olen = opt[i + 1];
		if (olen < 2 || i + olen > len)
			return -EINVAL;
		if (kind == TCPC_DPOPT_TS) {
			if (o->has_ts || olen != TCPC_DPOPT_TS_LEN)
				return -EINVAL;
			o->has_ts = true;
			o->ts_at = (u8)i;
			o->tsval = tcpc_get_be32(opt + i + 2);
			o->tsecr = tcpc_get_be32(opt + i + 6);
		} else if (kind == TCPC_DPOPT_SACK) {
			if (o->has_sack)
				return -EINVAL;
			o->sack_at = (u8)i;
			parse_sack(opt + i, olen, o);
		}
		i += olen;
	}
	return 0;
}

/*
 * Replace the SACK option found by tcpc_dpopt_parse() with n blocks
 * (n at most what its length can hold); the bytes it no longer needs
 * become NOPs, so the header keeps its length. With n == 0 the whole
 * option becomes NOPs.
 */
void tcpc_dpopt_set_sack(u8 *opt, const struct tcpc_dpopt *o,
			  const struct tcpc_dpopt_sack *blocks, u32 n)
{
	u8 *p = opt + o->sack_at;
	u32 room, used = 0, i;

	if (!o->has_sack)
		return;
	room = o->sack_len >= TCPC_DPOPT_SACK_BASE + TCPC_DPOPT_SACK_BLOCK ?
	       (o->sack_len - TCPC_DPOPT_SACK_BASE) / TCPC_DPOPT_SACK_BLOCK :
	       0;
	if (n > room)
		n = room;
	if (n) {
		p[0] = TCPC_DPOPT_SACK;
		p[1] = (u8)(TCPC_DPOPT_SACK_BASE + n * TCPC_DPOPT_SACK_BLOCK);
		for (i = 0; i < n; i++) {
			u8 *b = p + TCPC_DPOPT_SACK_BASE +
				i * TCPC_DPOPT_SACK_BLOCK;

			tcpc_put_be32(b, blocks[i].start);
			tcpc_put_be32(b + 4, blocks[i].end);
		}
		used = p[1];
	}
	memset(p + used, TCPC_DPOPT_NOP, o->sack_len - used);
}

/*
 * Lay out the options of a module-built segment in out (40 bytes of
 * room): timestamps first, then as many SACK blocks as still fit, each
 * NOP-aligned to 4 bytes as Linux sends them. Returns the options
 * length, a multiple of 4.
 */
u32 tcpc_dpopt_build(u8 *out, const struct tcpc_dpopt_out *in)
{
	u32 n = 0, nsack, i;

	if (in->ts) {
		out[n++] = TCPC_DPOPT_NOP;
		out[n++] = TCPC_DPOPT_NOP;
		out[n++] = TCPC_DPOPT_TS;
		out[n++] = TCPC_DPOPT_TS_LEN;
		tcpc_put_be32(out + n, in->tsval);
		tcpc_put_be32(out + n + 4, in->tsecr);
		n += 8;
	}
	nsack = in->nsack;
	if (nsack > TCPC_DPOPT_SACK_MAX)
		nsack = TCPC_DPOPT_SACK_MAX;
	while (nsack && n + 2 + TCPC_DPOPT_SACK_BASE +
		       nsack * TCPC_DPOPT_SACK_BLOCK > TCPC_DPOPT_SPACE)
		nsack--;
	if (nsack) {
		out[n++] = TCPC_DPOPT_NOP;
		out[n++] = TCPC_DPOPT_NOP;
		out[n++] = TCPC_DPOPT_SACK;
		out[n++] = (u8)(TCPC_DPOPT_SACK_BASE +
				nsack * TCPC_DPOPT_SACK_BLOCK);
		for (i = 0; i < nsack; i++) {
			tcpc_put_be32(out + n, in->sack[i].start);
			tcpc_put_be32(out + n + 4, in->sack[i].end);
			n += TCPC_DPOPT_SACK_BLOCK;
		}
	}
	return n;
}
