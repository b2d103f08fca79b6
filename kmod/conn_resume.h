/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Session resumption of a connection. See conn_resume.c.
 */
#ifndef _TCPC_CONN_RESUME_H
#define _TCPC_CONN_RESUME_H

#include "conn.h"
#include "daemon.h"

struct tcpc_net;

void tcpc_conn_resume_init(struct tcpc_conn *conn);
bool tcpc_conn_resume_offer(struct tcpc_net *tn,
			    const struct tcpc_conn_key *key,
			    const struct tcpc_daemon_view *dv,
			    struct tcpc_conn_resume *r, struct tcpc_eno_sub *sub);
bool tcpc_conn_resume_answer(struct tcpc_net *tn,
			     const struct tcpc_eno_syn *peer,
			     const struct tcpc_daemon_view *dv,
			     struct tcpc_conn_resume *r,
			     struct tcpc_eno_sub *sub);
bool tcpc_conn_resume_valid(void *priv, const struct tcpc_eno_sub *a,
			    const struct tcpc_eno_sub *b);
void tcpc_conn_resume_chosen(struct tcpc_conn_resume *r,
			     const struct tcpc_eno_sub *peer);
void tcpc_conn_resume_cache(struct tcpc_conn *conn, const u8 *used,
			    bool orig_b, u16 aead);
void __tcpc_conn_resume_start(struct tcpc_conn *conn);
bool tcpc_conn_resume_policy(struct tcpc_conn *conn, u32 flags, u32 mask);

#endif /* _TCPC_CONN_RESUME_H */
