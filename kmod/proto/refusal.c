// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Whether B refused A's Init1 and runs plain TCP. See refusal.h.
 */
#include "refusal.h"

/**
 * tcpc_init_refused() - does this segment of B show that B runs plain TCP?
 * @st: A's data path, as it is before the segment
 * @seg: the segment
 *
 * Only A decides (B's first ACK carries A's ISN + 1 as a matter of
 * course), only before the keys and before anything of B's stream, and
 * only on an acceptable ACK: exactly A's ISN + 1, from a sequence number
 * in A's receive window, so that a blind attacker must guess both.
 *
 * Return: true if A is to fall back to plain TCP.
 */
bool tcpc_init_refused(const struct tcpc_refusal_state *st,
		       const struct tcpc_refusal_seg *seg)
{
	if (!st->role_a || st->keys || st->resumed || st->init_acked ||
	    st->peer_bytes)
		return false;
	if (seg->syn || seg->rst || !seg->ackf)
		return false;
	if (seg->ack != st->isn_local + 1)
		return false;
	return seg->seq - (st->isn_peer + 1) <= st->rcv_wnd;
}
