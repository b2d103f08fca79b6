/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPC_CONN_TRACK_H
#define _TCPC_CONN_TRACK_H

#include <linux/types.h>

struct tcpc_conn;
struct tcpc_seg;

void tcpc_conn_track_wire(struct tcpc_conn *conn, const struct tcpc_seg *seg,
			  bool outbound);

#endif /* _TCPC_CONN_TRACK_H */
