/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * TCP options as the data path handles them when a segment moves between
 * the app and the wire sequence spaces: the timestamps (RFC 7323) pass
 * unchanged, the SACK blocks (RFC 2018) are rewritten in place, and the
 * segments the module builds itself get timestamps and as many SACK
 * blocks as the room allows.
 */
#ifndef _TCPC_PROTO_DP_TCPOPT_H
#define _TCPC_PROTO_DP_TCPOPT_H

#include "types.h"

#define TCPC_DPOPT_EOL		0
#define TCPC_DPOPT_NOP		1
#define TCPC_DPOPT_SACK	5
#define TCPC_DPOPT_TS		8

#define TCPC_DPOPT_TS_LEN	10
#define TCPC_DPOPT_SACK_BASE	2
#define TCPC_DPOPT_SACK_BLOCK	8
#define TCPC_DPOPT_SACK_MAX	4
/* 60-byte TCP header, 20 of them fixed */
#define TCPC_DPOPT_SPACE	40

/* One SACK block as carried: sequence numbers of its first and next byte */
struct tcpc_dpopt_sack {
	u32 start;
	u32 end;
};

/* What a segment's options hold, with offsets from the first option byte */
struct tcpc_dpopt {
	bool has_ts;
	u8 ts_at;		/* kind byte of the timestamps option */
	u32 tsval;
	u32 tsecr;
	bool has_sack;		/* a SACK option, well-formed or not */
	u8 sack_at;		/* its kind byte */
	u8 sack_len;		/* its length byte */
	u8 nsack;		/* blocks, 0 when the option is malformed */
	struct tcpc_dpopt_sack sack[TCPC_DPOPT_SACK_MAX];
};

int tcpc_dpopt_parse(const u8 *opt, u32 len, struct tcpc_dpopt *o);
void tcpc_dpopt_set_sack(u8 *opt, const struct tcpc_dpopt *o,
			  const struct tcpc_dpopt_sack *blocks, u32 n);

/* Options for a segment the module builds */
struct tcpc_dpopt_out {
	bool ts;
	u32 tsval;
	u32 tsecr;
	u32 nsack;
	struct tcpc_dpopt_sack sack[TCPC_DPOPT_SACK_MAX];
};

u32 tcpc_dpopt_build(u8 *out, const struct tcpc_dpopt_out *in);

#endif /* _TCPC_PROTO_DP_TCPOPT_H */
