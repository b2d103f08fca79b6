/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key agreement plumbing between a connection and the registered
 * tcpcryptd (RFC 8548 section 3.3). The daemon does the asymmetric work
 * and checks the Init messages; the module carries the messages, derives
 * the session keys from the PRK the daemon returns, and hands them to the
 * data path:
 *
 *   A: switch-on         -> KEX_REQUEST INIT1_NEEDED
 *      reply INIT_MSG    -> tcpc_dp_send_init(Init1)
 *      peer's Init2      -> KEX_REQUEST INIT2_RECEIVED
 *      reply PRK, AEAD   -> keys -> tcpc_dp_install_keys(), ENCRYPTING
 *   B: peer's Init1      -> KEX_REQUEST INIT1_RECEIVED
 *      reply INIT_MSG, PRK, AEAD
 *                        -> tcpc_dp_send_init(Init2), keys, ENCRYPTING
 *
 * Requests are unicast to the daemon's netlink port from a work item;
 * the daemon has TCPC_KEX_REPLY_TIMEOUT to answer each, and an error
 * reply, a malformed reply or the daemon's departure aborts the
 * connection.
 */
#ifndef _TCPC_KEX_H
#define _TCPC_KEX_H

#include <linux/types.h>
#include <net/netlink.h>

struct genl_info;
struct sk_buff;
struct tcpc_conn;
struct tcpc_net;

#define TCPC_KEX_REPLY_TIMEOUT	(10 * HZ)

void tcpc_kex_init(struct tcpc_conn *conn);
void tcpc_kex_release(struct tcpc_conn *conn);
void tcpc_kex_cancel(struct tcpc_conn *conn);
void __tcpc_kex_queue(struct tcpc_conn *conn, u8 op);

/* Called by the data path: the peer's whole Init message (any context) */
void tcpc_kex_peer_init(struct tcpc_conn *conn, const u8 *msg, u32 len);

void tcpc_kex_daemon_gone(struct tcpc_net *tn, u32 portid);

extern const struct nla_policy tcpc_kex_reply_policy[];
int tcpc_kex_reply_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _TCPC_KEX_H */
