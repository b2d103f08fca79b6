// SPDX-License-Identifier: GPL-2.0
/*
 * What the hooks learn about a protected connection from its segments,
 * for its lifetime: FINs and their ACKs, and RSTs, seen in wire space
 * (after the data path on the way out, before it on the way in).
 */
#include "conn.h"
#include "conn_track.h"
#include "tcpseg.h"

/* After a RST the socket is normally gone at once: look soon */
#define TCPC_RST_CHECK		(HZ / 4)
/* After the last ACK of a close: TIME_WAIT or CLOSED follows */
#define TCPC_CLOSE_CHECK	HZ

/**
 * tcpc_conn_track_wire() - note FINs, their ACKs and RSTs
 * @conn: a connection past the switch-on
 * @seg: one of its segments, in wire space
 * @outbound: sent by us
 *
 * Once both FINs are acknowledged the connection is CLOSED, and the
 * entry goes when the socket does.
 */
void tcpc_conn_track_wire(struct tcpc_conn *conn, const struct tcpc_seg *seg,
			  bool outbound)
{
	u8 fin = outbound ? TCPC_FIN_LOCAL : TCPC_FIN_PEER;
	u8 other = outbound ? TCPC_FIN_PEER : TCPC_FIN_LOCAL;
	u8 acked = outbound ? TCPC_FIN_PEER_ACKED : TCPC_FIN_LOCAL_ACKED;

	if (!(seg->flags & (TCPHDR_FIN | TCPHDR_RST)) &&
	    !READ_ONCE(conn->fin_seen))
		return;

	spin_lock_bh(&conn->lock);
	if (seg->flags & TCPHDR_RST) {
		__tcpc_conn_check_soon(conn, TCPC_RST_CHECK);
		goto out_unlock;
	}
	if (seg->flags & TCPHDR_FIN) {
		if (outbound)
			conn->fin_local_end = tcpc_seg_end_seq(seg);
		else
			conn->fin_peer_end = tcpc_seg_end_seq(seg);
		WRITE_ONCE(conn->fin_seen, conn->fin_seen | fin);
	}
	if ((seg->flags & TCPHDR_ACK) && (conn->fin_seen & other) &&
	    !before(seg->ack, outbound ? conn->fin_peer_end :
					 conn->fin_local_end))
		WRITE_ONCE(conn->fin_seen, conn->fin_seen | acked);
	if (conn->fin_seen == TCPC_FIN_ALL &&
	    (conn->state == TCPCRYPT_CONN_KEY_EXCHANGE ||
	     conn->state == TCPCRYPT_CONN_ENCRYPTING)) {
		tcpc_conn_set_state(conn, TCPCRYPT_CONN_CLOSED);
		__tcpc_conn_check_soon(conn, TCPC_CLOSE_CHECK);
	}
out_unlock:
	spin_unlock_bh(&conn->lock);
}
