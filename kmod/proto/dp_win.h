/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Receive windows across the two sequence spaces. The peer advertises its
 * window in wire bytes, but the local TCP sends app bytes, each frame of
 * which costs TCPC_FRAME_OVERHEAD more on the wire: left alone, the local
 * TCP would overrun the peer's window by that much and see its excess
 * dropped. The local TCP's own window passes to the wire unchanged (the
 * peer then sends fewer app bytes than it allows), capped by the bytes the
 * module can still buffer for reassembly.
 */
#ifndef _TCPC_PROTO_DP_WIN_H
#define _TCPC_PROTO_DP_WIN_H

#include "types.h"
#include "txmap.h"

u64 tcpc_dp_app_window(const struct tcpc_txmap *tx, u64 wire_right,
		       u32 mss);
u32 tcpc_dp_win_field(u64 bytes, u8 wscale);

#endif /* _TCPC_PROTO_DP_WIN_H */
