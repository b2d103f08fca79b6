// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP options area helpers for the ENO hooks. See tcpopt.h.
 */
#include "tcpopt.h"

/*
 * Bytes taken by the option at @i: 1 for NOP, 0 for EOL (the end of the
 * area), -EBADMSG for a length byte below 2 or past the end.
 */
static int tcpopt_len(const u8 *opts, size_t len, size_t i)
{
	if (opts[i] == TCPC_TCPOPT_EOL)
		return 0;
	if (opts[i] == TCPC_TCPOPT_NOP)
		return 1;
	if (len - i < 2 || opts[i + 1] < 2 || opts[i + 1] > len - i)
		return -EBADMSG;
	return opts[i + 1];
}

/**
 * tcpc_tcpopt_find() - locate the first option of a kind
 * @opts: the options area, after the fixed TCP header
 * @len: its length
 * @kind: an option kind other than EOL and NOP
 *
 * Return: the offset of the option's kind byte; -ENOENT when the area has
 * none; -EBADMSG when a length byte before it is malformed.
 */
int tcpc_tcpopt_find(const u8 *opts, size_t len, u8 kind)
{
	size_t i = 0;
	int n;

	if (kind <= TCPC_TCPOPT_NOP)
		return -EINVAL;
	while (i < len) {
		n = tcpopt_len(opts, len, i);
		if (n < 0)
			return n;
		if (!n)
			break;
		if (opts[i] == kind)
			return (int)i;
		i += n;
	}
	return -ENOENT;
}

/**
 * tcpc_tcpopt_mss() - locate the MSS option
 * @opts: the options area
 * @len: its length
 *
 * Return: the offset of a well-formed MSS option (kind 2, length 4; its
 * value is the two bytes at offset + 2), -ENOENT, or -EBADMSG.
 */
int tcpc_tcpopt_mss(const u8 *opts, size_t len)
{
	int off = tcpc_tcpopt_find(opts, len, TCPC_TCPOPT_MSS);

	if (off >= 0 && opts[off + 1] != TCPC_TCPOPT_MSS_LEN)
		return -EBADMSG;
	return off;
}

/**
 * tcpc_tcpopt_fastopen() - does the area carry a TCP Fast Open option?
 * @opts: the options area
 * @len: its length
 *
 * Both encodings count: kind 34 (RFC 7413) and the experimental kind 254
 * with magic 0xF989. A cookie request (no cookie) counts too: a SYN that
 * carries one may be followed by SYN data, which ENO forbids (RFC 8547
 * section 4.7). A malformed area counts as carrying one.
 *
 * Return: true when such an option is present.
 */
bool tcpc_tcpopt_fastopen(const u8 *opts, size_t len)
{
	size_t i = 0;
	int n;

	while (i < len) {
		n = tcpopt_len(opts, len, i);
		if (n < 0)
			return true;
		if (!n)
			break;
		if (opts[i] == TCPC_TCPOPT_FASTOPEN)
			return true;
		if (opts[i] == TCPC_TCPOPT_EXP && n >= 4 &&
		    tcpc_get_be16(opts + i + 2) == TCPC_TCPOPT_FASTOPEN_MAGIC)
			return true;
		i += n;
	}
	return false;
}

/* What tcpopt_survey() learned about an options area */
struct tcpopt_survey {
	size_t nop_run_off;	/* first run of NOPs at least want bytes long */
	bool nop_run_found;
	bool eol;		/* the area ends with EOL (and padding) */
	size_t kept;		/* bytes of options other than NOP and EOL */
};

static int tcpopt_survey(const u8 *opts, size_t len, size_t want,
			 struct tcpopt_survey *s)
{
	size_t i = 0, run = 0;
	int n;

	memset(s, 0, sizeof(*s));
	while (i < len) {
		n = tcpopt_len(opts, len, i);
		if (n < 0)
			return n;
		if (!n) {
			s->eol = true;
			break;
		}
		if (n == 1) {
			if (++run >= want && !s->nop_run_found) {
				s->nop_run_off = i + 1 - run;
				s->nop_run_found = true;
			}
		} else {
			run = 0;
			s->kept += n;
		}
		i += n;
	}
	return 0;
}

/* Every option but NOPs and what follows EOL, then @add, then NOPs */
static int tcpopt_repack(const u8 *opts, size_t len, const u8 *add,
			 size_t add_len, size_t kept, u8 *out)
{
	size_t i = 0, o = 0, total = kept + add_len;
	int n;

	total = (total + 3) & ~(size_t)3;
	if (total < len)
		total = len;
	if (total > TCPC_TCPOPT_SPACE)
		return -ENOSPC;
	while (i < len) {
		n = tcpopt_len(opts, len, i);
		if (n <= 0)
			break;
		if (n > 1) {
			memcpy(out + o, opts + i, n);
			o += n;
		}
		i += n;
	}
	memcpy(out + o, add, add_len);
	o += add_len;
	memset(out + o, TCPC_TCPOPT_NOP, total - o);
	return (int)total;
}

/**
 * tcpc_tcpopt_insert() - add one option to an options area
 * @opts: the area, as the local TCP built it (a multiple of 4 bytes)
 * @len: its length, at most TCPC_TCPOPT_SPACE
 * @add: the option to add, kind and length byte included
 * @add_len: its length
 * @out: receives the new area
 *
 * Tries, in order, the least disruptive way: overwrite a run of alignment
 * NOPs long enough (the area keeps its size: "01 01 08 0a" before a
 * timestamp becomes "45 02 08 0a"); append @add behind NOP padding; and
 * when that would not fit in 40 bytes, repack: drop every NOP and the
 * EOL padding, keep every other option in order, append @add. The new
 * area is never shorter than the old one, so headers only grow.
 *
 * Return: the new length (a multiple of 4); -EINVAL for a bad argument;
 * -EBADMSG for a malformed area; -ENOSPC when @add cannot fit.
 */
int tcpc_tcpopt_insert(const u8 *opts, size_t len, const u8 *add,
		       size_t add_len, u8 out[TCPC_TCPOPT_SPACE])
{
	struct tcpopt_survey s;
	size_t padded = (add_len + 3) & ~(size_t)3;
	int err;

	if (len > TCPC_TCPOPT_SPACE || len % 4 || add_len < 2 ||
	    add_len > TCPC_TCPOPT_SPACE || add[0] <= TCPC_TCPOPT_NOP ||
	    add[1] != add_len)
		return -EINVAL;
	err = tcpopt_survey(opts, len, add_len, &s);
	if (err)
		return err;

	if (s.nop_run_found) {
		memcpy(out, opts, len);
		memcpy(out + s.nop_run_off, add, add_len);
		return (int)len;
	}
	if (!s.eol && len + padded <= TCPC_TCPOPT_SPACE) {
		memcpy(out, opts, len);
		memset(out + len, TCPC_TCPOPT_NOP, padded - add_len);
		memcpy(out + len + padded - add_len, add, add_len);
		return (int)(len + padded);
	}
	return tcpopt_repack(opts, len, add, add_len, s.kept, out);
}
