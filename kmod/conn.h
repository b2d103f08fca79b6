/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One connection tcpcrypt takes part in, and the per-netns table of them,
 * keyed by address family and 4-tuple as the local socket sees them.
 *
 * Lifetime: an entry is created when an ENO SYN is sent or received and
 * linked in the table, which holds one reference; lookups take their own
 * under RCU. tcpc_conn_kill() unlinks it (fallback, RST, close, idle,
 * netns exit); every later segment of the 4-tuple is then left alone. The
 * last reference queues the final teardown (tcpc_dp_destroy() in process
 * context) and the memory is freed after an RCU grace period, wiped.
 *
 * States (enum tcpcrypt_conn_state): NEGOTIATING until the ENO handshake
 * switches encryption on; then KEY_EXCHANGE (data path active, Init
 * messages in flight), ENCRYPTING (keys installed), CLOSED (both FINs
 * acknowledged, the socket lingers in TIME_WAIT), or ABORTED (every
 * segment dropped). From KEY_EXCHANGE on, every segment of the connection
 * goes through the data path: it is never plaintext again.
 */
#ifndef _TCPC_CONN_H
#define _TCPC_CONN_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/tcpcrypt.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include "dp.h"
#include "eno.h"
#include "resume.h"

struct tcpc_net;

/*
 * Compared and hashed as raw bytes: always build it with
 * tcpc_conn_key_v4()/_v6() so that padding and unused address bytes are 0.
 */
struct tcpc_conn_key {
	struct in6_addr laddr;		/* IPv4: first 4 bytes, rest zero */
	struct in6_addr raddr;
	__be16 lport;
	__be16 rport;
	u8 family;			/* AF_INET or AF_INET6 */
	u8 pad[3];
};

/* What the netlink dump reports about one connection */
struct tcpc_conn_info {
	u64 id;
	u64 bytes_in;
	u64 bytes_out;
	u16 aead;
	u8 role;			/* enum tcpcrypt_role */
	u8 tep;
	u8 state;			/* enum tcpcrypt_conn_state */
	u8 sessid_len;			/* 0 until the session ID is known */
	u8 sessid[TCPCRYPT_SESSID_LEN];
};

/* tcpc_eno_state.flags */
#define TCPC_ENO_F_ACTIVE	0x01	/* we sent the SYN-only */
#define TCPC_ENO_F_NEGOTIATED	0x02	/* both SYN-form options agree */
#define TCPC_ENO_F_SENT_ACK	0x04	/* sent an ACK segment with ENO */
#define TCPC_ENO_F_RCVD_ACK	0x08	/* received an ACK segment with ENO */
#define TCPC_ENO_F_RCVD_NONSYN	0x10	/* stop adding "45 02" */
#define TCPC_ENO_F_ISN_LOCAL	0x20	/* isn_local is known */
#define TCPC_ENO_F_B_DISABLED	0x40	/* B: first ACK lacked ENO */
#define TCPC_ENO_F_PEER_PLAIN	0x80	/* B: and A sent plain data since */

/* B: Init1 segments refused before the connection is reset instead */
#define TCPC_INIT_REFUSALS_MAX	4

/*
 * The TCP-ENO handshake of one connection (RFC 8547 section 4.6). Both
 * SYN-form options are kept byte for byte: ours is sent again, identical,
 * on every SYN retransmission, and both make up the transcript.
 */
struct tcpc_eno_state {
	u8 local[TCPC_TCP_OPTSPACE];	/* our SYN-form option, as sent */
	u8 peer[TCPC_TCP_OPTSPACE];	/* the peer's, as received */
	u8 local_len;
	u8 peer_len;
	u8 flags;			/* TCPC_ENO_F_* */
	u8 tep;				/* negotiated TEP id */
	u8 refusals;			/* B: Init1 segments refused */
	u8 sessid_tep;			/* TEP byte of the session ID */
	bool local_is_b;
	u32 isn_local;			/* our ISN (SYN or SYN-ACK seq) */
	u32 isn_peer;
};

/*
 * The key agreement with the daemon (kex.c). A request is queued by
 * op_queued, sent from a work item; op_pending is the request the daemon
 * has to answer before reply_deadline.
 */
struct tcpc_kex_state {
	struct work_struct work;
	u8 op_queued;			/* enum tcpcrypt_kex_op, 0: none */
	u8 op_pending;
	u32 portid;			/* daemon serving this connection */
	unsigned long reply_deadline;
	u8 *peer_init;			/* the peer's Init message */
	u32 peer_init_len;
	u8 *own_init;			/* ours (A: Init1), for the AEAD check */
	u32 own_init_len;
};

/*
 * Resumption of one connection (conn_resume.c): the cached secret it
 * offered (A) or accepted (B), taken out of the cache for good; our
 * nonce; the peer's suboption once the negotiation chose resumption.
 */
struct tcpc_conn_resume {
	struct tcpc_resume_secret sec;
	u8 own[TCPC_RESUME_SUB_DATA];	/* our suboption's data */
	u8 peer[TCPC_RESUME_SUB_DATA];	/* the peer's */
	u8 peer_len;
	bool offered;			/* @sec is valid */
	bool passive;			/* we answer, as B */
	bool resumed;			/* the negotiated TEP resumes @sec */
};

struct tcpc_conn {
	struct rhash_head node;
	struct rhash_head id_node;
	struct list_head list_node;	/* tcpc_conn_table.list */
	struct list_head walk_node;	/* a tcpc_conn_for_each() batch */
	struct tcpc_conn_key key;
	refcount_t refcnt;
	struct rcu_head rcu;
	struct work_struct free_work;
	struct work_struct abort_work;
	u64 id;				/* unique in the netns, never 0 */
	struct tcpc_net *tn;		/* valid until the netns exits */

	/* protects everything below but the data path and the counters */
	spinlock_t lock;
	u8 state;			/* enum tcpcrypt_conn_state */
	bool dead;			/* unlinked: no new work may start */
	bool timer_ref;			/* the timer owns a reference */
	bool linked;			/* in the table */
	bool half_open;			/* passive, counted in half_open */
	bool dp_ready;			/* tcpc_dp_init() succeeded */
	bool rst_sent;			/* the abort work sent the peer's RST */
	u8 fin_seen;			/* TCPC_FIN_* */
	u8 role;			/* enum tcpcrypt_role, once known */
	u16 aead;
	int abort_err;
	int dif;			/* device the socket is bound to */
	bool dif_known;			/* read from the socket itself */
	int iif;			/* as TCP looks the socket up: */
	int sdif;			/* devices of the last input */
	u32 fin_local_end;		/* wire seq just past our FIN */
	u32 fin_peer_end;		/* wire seq just past the peer's FIN */
	unsigned long switch_on;	/* jiffies at KEY_EXCHANGE */
	unsigned long state_since;	/* jiffies at the last state change */
	unsigned long check_at;		/* jiffies: look for the socket */
	struct timer_list timer;
	struct tcpc_eno_state eno;
	struct tcpc_kex_state kex;
	struct tcpc_conn_resume res;
	struct work_struct res_work;	/* installs resumed keys */
	u32 sock_policy;		/* TCPCRYPT_SOCK_*, from the socket */
	bool res_cached;		/* the cache holds our successor: */
	struct tcpc_resume_id res_cached_rid;	/* its identifier */
	u8 sessid[TCPCRYPT_SESSID_LEN];
	bool sessid_known;

	unsigned long last_seen;	/* jiffies, written locklessly */

	struct tcpc_dp dp;
};

/* tcpc_conn.fin_seen */
#define TCPC_FIN_LOCAL		0x01
#define TCPC_FIN_PEER		0x02
#define TCPC_FIN_LOCAL_ACKED	0x04
#define TCPC_FIN_PEER_ACKED	0x08
#define TCPC_FIN_ALL		0x0f

struct tcpc_conn_table {
	struct rhashtable ht;		/* by 4-tuple, for the hooks */
	struct rhashtable by_id;	/* by id, for the daemon's replies */
	/* every linked entry, for walks that must miss none */
	spinlock_t list_lock;
	struct list_head list;
	struct mutex walk_lock;		/* one tcpc_conn_for_each() at a time */
	atomic_t count;			/* linked entries */
	atomic_t half_open;		/* passive entries still negotiating */
	atomic64_t next_id;
};

/* Bounds on the table, so that a SYN flood cannot grow it without end */
#define TCPC_CONN_MAX		65536
#define TCPC_CONN_HALF_OPEN_MAX	4096

void tcpc_conn_key_v4(struct tcpc_conn_key *key, __be32 laddr, __be16 lport,
		      __be32 raddr, __be16 rport);
void tcpc_conn_key_v6(struct tcpc_conn_key *key,
		      const struct in6_addr *laddr, __be16 lport,
		      const struct in6_addr *raddr, __be16 rport);

int tcpc_conn_table_init(struct tcpc_conn_table *table);
void tcpc_conn_table_shutdown(struct tcpc_conn_table *table);
void tcpc_conn_table_destroy(struct tcpc_conn_table *table);

struct tcpc_conn *tcpc_conn_alloc(const struct tcpc_conn_key *key, gfp_t gfp);
int tcpc_conn_insert(struct tcpc_conn_table *table, struct tcpc_conn *conn);
struct tcpc_conn *tcpc_conn_lookup(struct tcpc_conn_table *table,
				   const struct tcpc_conn_key *key);
struct tcpc_conn *tcpc_conn_lookup_id(struct tcpc_conn_table *table, u64 id);
bool tcpc_conn_remove(struct tcpc_conn_table *table, struct tcpc_conn *conn);
void tcpc_conn_put(struct tcpc_conn *conn);
void tcpc_conn_get_info(struct tcpc_conn *conn, struct tcpc_conn_info *info);

/* Why an entry leaves the table (kept for the counters) */
enum tcpc_kill_reason {
	TCPC_KILL_FALLBACK,	/* ENO failed: plain TCP from now on */
	TCPC_KILL_RESET,	/* RST before encryption was on */
	TCPC_KILL_GONE,		/* the socket no longer exists */
	TCPC_KILL_IDLE,		/* half-open entry without traffic */
	TCPC_KILL_REPLACED,	/* a new SYN reuses the 4-tuple */
	TCPC_KILL_SHUTDOWN,	/* netns or module going away */
};

bool tcpc_conn_kill(struct tcpc_conn *conn, enum tcpc_kill_reason why);
bool tcpc_conn_encrypting(struct tcpc_conn *conn, u16 aead,
			  const u8 sessid[TCPCRYPT_SESSID_LEN]);
void tcpc_conn_abort(struct tcpc_conn *conn, int err);

/*
 * State as the packet path reads it, without the lock. Pairs with the
 * release in tcpc_conn_set_state(): a CPU that sees KEY_EXCHANGE also
 * sees the data path that tcpc_dp_init() set up before it.
 */
static inline u8 tcpc_conn_state(const struct tcpc_conn *conn)
{
	/* Pairs with the release in tcpc_conn_set_state() */
	return smp_load_acquire(&conn->state);
}

static inline void tcpc_conn_set_state(struct tcpc_conn *conn, u8 state)
{
	lockdep_assert_held(&conn->lock);
	/* Publishes what was set up for @state; see tcpc_conn_state() */
	smp_store_release(&conn->state, state);
	conn->state_since = jiffies;
}

/* Encryption is on: every segment goes through the data path */
static inline bool tcpc_conn_state_switched(u8 state)
{
	return state == TCPCRYPT_CONN_KEY_EXCHANGE ||
	       state == TCPCRYPT_CONN_ENCRYPTING ||
	       state == TCPCRYPT_CONN_CLOSED;
}

/* For the data path's own timers: the entry is being torn down */
static inline bool tcpc_conn_dead(const struct tcpc_conn *conn)
{
	return READ_ONCE(conn->dead);
}

/* A segment of @conn went by: the idle clock starts again */
static inline void tcpc_conn_seen(struct tcpc_conn *conn)
{
	unsigned long now = jiffies;

	if (READ_ONCE(conn->last_seen) != now)
		WRITE_ONCE(conn->last_seen, now);
}

void tcpc_conn_half_open_end(struct tcpc_conn *conn);

/* conn_timer.c */
void tcpc_conn_timer_init(struct tcpc_conn *conn);
void tcpc_conn_timer_start(struct tcpc_conn *conn);
void __tcpc_conn_timer_kick(struct tcpc_conn *conn, unsigned long when);
void __tcpc_conn_check_soon(struct tcpc_conn *conn, unsigned long delay);
void __tcpc_conn_timer_switch_on(struct tcpc_conn *conn);
void __tcpc_conn_timer_aborted(struct tcpc_conn *conn);
struct sock *tcpc_conn_sock_get(struct tcpc_conn *conn);

/* conn_abort.c */
void tcpc_conn_abort_init(struct tcpc_conn *conn);
void tcpc_conn_abort_again(struct tcpc_conn *conn);
void tcpc_conn_abort_all(struct tcpc_conn_table *table);

/* Work items of every connection (teardown, aborts, key agreement) */
extern struct workqueue_struct *tcpc_wq;
int tcpc_conn_module_init(void);
void tcpc_conn_module_exit(void);

/* Walking the table for a netlink dump, resumable across dump calls */
struct rhashtable_iter *tcpc_conn_walk_enter(struct tcpc_conn_table *table);
int tcpc_conn_walk(struct rhashtable_iter *iter,
		   int (*fill)(struct tcpc_conn *conn, void *arg), void *arg);
void tcpc_conn_walk_exit(struct rhashtable_iter *iter);

/* Calls @fn on every entry, with a reference held; @fn may sleep */
void tcpc_conn_for_each(struct tcpc_conn_table *table,
			void (*fn)(struct tcpc_conn *conn, void *arg),
			void *arg);

#endif /* _TCPC_CONN_H */
