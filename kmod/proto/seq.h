/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Sequence arithmetic for the data path (txmap.c, rxmap.c).
 *
 * TCP carries 32-bit sequence numbers that wrap; the maps keep 64-bit
 * stream offsets that do not. Offset 0 is the first data byte after the
 * SYN (ISN + 1), in the app stream as in the wire stream. A 32-bit number
 * is turned into an offset by taking, among the offsets it may stand for,
 * the one nearest to a reference the caller keeps close to the live part
 * of the stream (its send or receive point); TCP windows (< 2^30) keep
 * every legitimate number within 2^31 of such a reference.
 */
#ifndef _TCPC_PROTO_SEQ_H
#define _TCPC_PROTO_SEQ_H

#include "types.h"

#define TCPC_SEQ_HALF	0x80000000U

/* a comes before b in sequence space (RFC 1982 serial number order) */
static inline bool tcpc_seq_before(u32 a, u32 b)
{
	return (u32)(a - b) >= TCPC_SEQ_HALF;
}

static inline bool tcpc_seq_after(u32 a, u32 b)
{
	return tcpc_seq_before(b, a);
}

/* Sequence number of the byte at stream offset off */
static inline u32 tcpc_off_to_seq(u32 isn, u64 off)
{
	return isn + 1 + (u32)off;
}

/*
 * Stream offset of sequence number seq: the offset nearest to ref whose
 * low 32 bits match. -ERANGE when that offset would be negative (a number
 * before ISN + 1) or beyond 2^64.
 */
static inline int tcpc_seq_to_off(u32 isn, u64 ref, u32 seq, u64 *off)
{
	u32 delta = seq - (isn + 1) - (u32)ref;

	if (delta < TCPC_SEQ_HALF) {
		if (ref + delta < ref)
			return -ERANGE;
		*off = ref + delta;
		return 0;
	}
	delta = 0U - delta;
	if (ref < delta)
		return -ERANGE;
	*off = ref - delta;
	return 0;
}

static inline u64 tcpc_min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static inline u64 tcpc_max_u64(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* A half-open range of stream offsets, [start, end) */
struct tcpc_range {
	u64 start;
	u64 end;
};

#endif /* _TCPC_PROTO_SEQ_H */
