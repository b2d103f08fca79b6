/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The TCP options area (RFC 9293 section 3.1) as the ENO hooks need it:
 * find an option, read the MSS, tell a Fast Open SYN, and make room for
 * one more option (the ENO option on a SYN, "45 02" on the segments that
 * follow) without dropping any option the local TCP put there. Pure
 * byte-level work on a copy of the area: the caller owns the skb.
 */
#ifndef _TCPC_PROTO_TCPOPT_H
#define _TCPC_PROTO_TCPOPT_H

#include "types.h"

#define TCPC_TCPOPT_EOL		0
#define TCPC_TCPOPT_NOP		1
#define TCPC_TCPOPT_MSS		2
#define TCPC_TCPOPT_FASTOPEN	34
/* RFC 6994 experimental option, used by pre-RFC 7413 Fast Open */
#define TCPC_TCPOPT_EXP		254
#define TCPC_TCPOPT_FASTOPEN_MAGIC	0xf989

#define TCPC_TCPOPT_MSS_LEN	4
/* 60-byte TCP header minus the 20 fixed bytes */
#define TCPC_TCPOPT_SPACE	40

int tcpc_tcpopt_find(const u8 *opts, size_t len, u8 kind);
int tcpc_tcpopt_mss(const u8 *opts, size_t len);
bool tcpc_tcpopt_fastopen(const u8 *opts, size_t len);
int tcpc_tcpopt_insert(const u8 *opts, size_t len, const u8 *add,
		       size_t add_len, u8 out[TCPC_TCPOPT_SPACE]);

#endif /* _TCPC_PROTO_TCPOPT_H */
