// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Window translation for the data path (dp_win.h).
 */
#include "dp_win.h"
#include "frame.h"

/*
 * The app window for the local TCP (bytes past its app ACK, tx->app_una)
 * when the peer accepts wire bytes below wire_right. Bytes already framed
 * map exactly; beyond them, app bytes are assumed to go out in frames of
 * mss data bytes, each costing TCPC_FRAME_OVERHEAD more on the wire. The
 * result is rounded down: the local TCP never sends past wire_right when
 * its segments are full-sized.
 */
u64 tcpc_dp_app_window(const struct tcpc_txmap *tx, u64 wire_right, u32 mss)
{
	u64 wire_nxt = tcpc_txmap_wire_nxt(tx), right, extra;

	if (wire_right <= tx->wire_una)
		return 0;
	if (wire_right <= wire_nxt) {
		if (tcpc_txmap_wire_to_app(tx, wire_right, false, &right))
			return 0;
	} else {
		if (!mss)
			mss = 1;
		extra = wire_right - wire_nxt;
		right = tcpc_txmap_app_nxt(tx) +
			extra * mss / (mss + TCPC_FRAME_OVERHEAD);
	}
	return right > tx->app_una ? right - tx->app_una : 0;
}

/* A window of bytes as the 16-bit field of a segment scaled by wscale */
u32 tcpc_dp_win_field(u64 bytes, u8 wscale)
{
	u64 field = bytes >> (wscale > 14 ? 14 : wscale);

	return field > 0xffff ? 0xffff : (u32)field;
}
