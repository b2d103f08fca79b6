/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Key generations of one connection (RFC 8548 section 3.8): which key set
 * opens each frame of the peer, which one seals our next frame, when to
 * start a new generation, and which key sets may be prepared or freed.
 *
 * Key set j holds k_ab[j] and k_ba[j], both from mk[j]. Two counters:
 *  - local: the generation our new frames are sealed with. The first
 *    frame of each generation carries rekey = 1, so the peer's count of
 *    our rekey frames is always our newest frame's generation;
 *  - remote: the generation of the peer's newest frame, one more for each
 *    of its frames with rekey = 1 (that frame is already under the new
 *    generation). When remote passes local, local follows at once and a
 *    frame with rekey = 1 is owed to the peer (unless our FIN was sent).
 *
 * Key sets live in TCPC_REKEY_GENS slots, generation g in slot
 * g % TCPC_REKEY_GENS: the current ones, older ones while the peer's
 * frames under them may still be opened again for redelivery, and the
 * next ones, built by the caller outside the packet path before they are
 * needed: one ahead of local, two once the connection has rekeyed (a
 * rekeying peer's next rekey frame then finds its keys even when the
 * caller's builder lags one generation behind). The peer's generations
 * start at wire offsets remembered per slot; a generation is retired once
 * the local TCP accepted every frame before the next one started.
 *
 * Invariants: oldest <= remote (until the peer is done) <= local <= ready
 * <= local + TCPC_REKEY_AHEAD and ready - oldest < TCPC_REKEY_GENS. We
 * start a generation only while remote == local (no second rekey before
 * the peer answered the first), or once the peer is done sending (its
 * FINp frame accepted: no answer can come, and none is needed); a frame
 * of the peer that would start a generation whose key set is not ready
 * yet is held back (the peer retransmits it).
 *
 * Pure bookkeeping: the caller serialises every call (the connection's
 * lock) and owns the keys themselves.
 */
#ifndef _TCPC_PROTO_REKEY_H
#define _TCPC_PROTO_REKEY_H

#include "types.h"

#define TCPC_REKEY_GENS		8	/* key set slots, a power of 2 */
#define TCPC_REKEY_AHEAD	2	/* most sets built ahead of local */

struct tcpc_rekey {
	u32 local;		/* generation of our new frames */
	u32 remote;		/* generation of the peer's newest frame */
	u32 oldest;		/* oldest generation still needed */
	u32 ready;		/* key sets exist up to this generation */
	u64 sealed;		/* data bytes sealed under local */
	u64 peer_start[TCPC_REKEY_GENS];	/* wire offset, by slot */
	u64 rekeys_sent;	/* our frames with rekey = 1 */
	u64 rekeys_rcvd;	/* frames with rekey = 1 from the peer */
	bool peer_done;		/* the peer's FINp frame was accepted */
};

static inline u32 tcpc_rekey_slot(u32 gen)
{
	return gen & (TCPC_REKEY_GENS - 1);
}

void tcpc_rekey_init(struct tcpc_rekey *rk);

int tcpc_rekey_rx_gen(const struct tcpc_rekey *rk, bool rekey, u32 tx_gen,
		      bool tx_fin, u32 *gen);
bool tcpc_rekey_rx_commit(struct tcpc_rekey *rk, bool rekey, u64 wire_off);
u32 tcpc_rekey_gen_at(const struct tcpc_rekey *rk, u64 wire_off);
bool tcpc_rekey_rx_accepted(struct tcpc_rekey *rk, u64 wire_base);
void tcpc_rekey_peer_done(struct tcpc_rekey *rk);

bool tcpc_rekey_tx_gen(struct tcpc_rekey *rk, u64 limit, u32 tx_gen,
		       u32 *gen);
int tcpc_rekey_start(struct tcpc_rekey *rk, u32 tx_gen);
void tcpc_rekey_tx_sealed(struct tcpc_rekey *rk, u32 dlen, bool rekey);

bool tcpc_rekey_want(const struct tcpc_rekey *rk, u32 *gen);
int tcpc_rekey_prepared(struct tcpc_rekey *rk, u32 gen);
bool tcpc_rekey_needed(const struct tcpc_rekey *rk, u32 gen);

#endif /* _TCPC_PROTO_REKEY_H */
