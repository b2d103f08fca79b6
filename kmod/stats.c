// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns counters: allocation, summing and reset.
 */
#include "stats.h"

int tcpc_stats_init(struct tcpc_stats *stats)
{
	int cpu;

	stats->pcpu = alloc_percpu(struct tcpc_pcpu_stats);
	if (!stats->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->pcpu, cpu)->syncp);
	mutex_init(&stats->base_lock);
	memset(stats->base, 0, sizeof(stats->base));
	return 0;
}

void tcpc_stats_free(struct tcpc_stats *stats)
{
	free_percpu(stats->pcpu);
	stats->pcpu = NULL;
	mutex_destroy(&stats->base_lock);
}

static void stats_sum(struct tcpc_stats *stats, u64 sum[TCPC_STAT_COUNT])
{
	u64 snap[TCPC_STAT_COUNT];
	unsigned int start;
	int cpu, i;

	memset(sum, 0, sizeof(snap));
	for_each_possible_cpu(cpu) {
		const struct tcpc_pcpu_stats *s = per_cpu_ptr(stats->pcpu, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < TCPC_STAT_COUNT; i++)
				snap[i] = u64_stats_read(&s->count[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < TCPC_STAT_COUNT; i++)
			sum[i] += snap[i];
	}
}

/* Counter values since the last reset (process context) */
void tcpc_stats_read(struct tcpc_stats *stats, u64 out[TCPC_STAT_COUNT])
{
	int i;

	mutex_lock(&stats->base_lock);
	stats_sum(stats, out);
	for (i = 0; i < TCPC_STAT_COUNT; i++)
		out[i] -= stats->base[i];
	mutex_unlock(&stats->base_lock);
}

/* Make every counter read as zero from now on (process context) */
void tcpc_stats_reset(struct tcpc_stats *stats)
{
	mutex_lock(&stats->base_lock);
	stats_sum(stats, stats->base);
	mutex_unlock(&stats->base_lock);
}
