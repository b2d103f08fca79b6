/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-netns counters: per-CPU u64s, so that the packet hooks never share a
 * cache line, summed on read. A reset records the current sums as the new
 * zero instead of writing to other CPUs' counters.
 */
#ifndef _TCPC_STATS_H
#define _TCPC_STATS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

enum tcpc_stat {
	TCPC_STAT_IPV4_IN,
	TCPC_STAT_IPV4_OUT,
	TCPC_STAT_IPV6_IN,
	TCPC_STAT_IPV6_OUT,
	TCPC_STAT_DAEMON_REGISTRATIONS,
	TCPC_STAT_DAEMON_LOSSES,
	/* TCP-ENO handshakes (eno_hook.c) */
	TCPC_STAT_ENO_OFFERED,
	TCPC_STAT_ENO_ANSWERED,
	TCPC_STAT_ENO_SUCCEEDED,
	TCPC_STAT_ENO_NOT_OFFERED,
	TCPC_STAT_FALLBACK_NO_ENO,
	TCPC_STAT_FALLBACK_BAD_ENO,
	TCPC_STAT_FALLBACK_NEGOTIATION,
	TCPC_STAT_FALLBACK_NO_DAEMON,
	TCPC_STAT_SYN_DATA_DISCARDED,
	TCPC_STAT_MSS_CLAMPED,
	/* key agreement (kex.c) */
	TCPC_STAT_KEX_REQUESTS,
	TCPC_STAT_KEX_FAILURES,
	/* connection lifetime (conn*.c) */
	TCPC_STAT_CONN_ENCRYPTING,
	TCPC_STAT_CONN_ABORTS,
	TCPC_STAT_CONN_RESETS,
	TCPC_STAT_CONN_CLOSED,
	TCPC_STAT_CONN_EXPIRED,
	TCPC_STAT_CONN_TABLE_FULL,
	/* the third ACK stripped of ENO alone (eno_hook.c, dp_conn.c) */
	TCPC_STAT_INIT_REFUSED,
	TCPC_STAT_FALLBACK_PEER_PLAIN,
	/* session resumption (conn_resume.c) */
	TCPC_STAT_SESSIONS_RESUMED,
	/* probes of the local TCP as rekeys (dp_out.c, dp_rekey.c) */
	TCPC_STAT_PROBE_REKEYS,
	TCPC_STAT_PROBE_PLAIN,

	TCPC_STAT_COUNT
};

struct tcpc_pcpu_stats {
	u64_stats_t count[TCPC_STAT_COUNT];
	struct u64_stats_sync syncp;
};

struct tcpc_stats {
	struct tcpc_pcpu_stats __percpu *pcpu;
	/* serialises resets and reads against each other */
	struct mutex base_lock;
	u64 base[TCPC_STAT_COUNT];
};

int tcpc_stats_init(struct tcpc_stats *stats);
void tcpc_stats_free(struct tcpc_stats *stats);
void tcpc_stats_read(struct tcpc_stats *stats, u64 out[TCPC_STAT_COUNT]);
void tcpc_stats_reset(struct tcpc_stats *stats);

/*
 * Callable from any context but hard irq: preemption is off while this CPU's
 * slot is written, and the irqsave variant keeps 32-bit seqcounts consistent
 * when a softirq interrupts a process-context writer.
 */
static inline void tcpc_stats_inc(struct tcpc_stats *stats,
				  enum tcpc_stat idx)
{
	struct tcpc_pcpu_stats *s = get_cpu_ptr(stats->pcpu);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->count[idx]);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats->pcpu);
}

#endif /* _TCPC_STATS_H */
