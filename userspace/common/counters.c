// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "counters.h"
#include "util.h"

/* NAME is the attribute's suffix: the key is derived from it, not typed */
#define COUNTER(NAME, grp, lbl, text)					\
	{ .attr = TCPCRYPT_STATS_A_##NAME, .name = #NAME,		\
	  .group = grp, .label = lbl, .meaning = text }

const struct tc_counter tc_counters[] = {
	COUNTER(IPV4_IN, "ipv4", "in", "IPv4 TCP segments seen on input"),
	COUNTER(IPV4_OUT, "ipv4", "out", "IPv4 TCP segments seen on output"),
	COUNTER(IPV6_IN, "ipv6", "in", "IPv6 TCP segments seen on input"),
	COUNTER(IPV6_OUT, "ipv6", "out", "IPv6 TCP segments seen on output"),
	COUNTER(DAEMON_REGISTRATIONS, "daemon", "registrations",
		"tcpcryptd registrations accepted"),
	COUNTER(DAEMON_LOSSES, "daemon", "losses",
		"Registrations ended by the daemon's socket closing"),
	COUNTER(ENO_OFFERED, "eno", "offered",
		"SYNs sent with an ENO option (new connections)"),
	COUNTER(ENO_ANSWERED, "eno", "answered",
		"SYNs received with ENO and answered with ENO"),
	COUNTER(ENO_SUCCEEDED, "eno", "succeeded",
		"Handshakes that switched encryption on, either role"),
	COUNTER(ENO_NOT_OFFERED, "eno", "not offered",
		"SYNs sent without ENO although a daemon was registered"),
	COUNTER(FALLBACK_NO_ENO, "fallback", "no eno",
		"Fallbacks to plain TCP because the peer sent no ENO option"),
	COUNTER(FALLBACK_BAD_ENO, "fallback", "bad eno",
		"Fallbacks because of an ill-formed or duplicated ENO option"),
	COUNTER(FALLBACK_NEGOTIATION, "fallback", "failed negotiation",
		"Fallbacks because of no common TEP or conflicting roles"),
	COUNTER(FALLBACK_NO_DAEMON, "fallback", "no daemon",
		"Fallbacks because no daemon was left to run the key exchange"),
	COUNTER(INIT_REFUSED, "fallback", "init refused",
		"Init1 segments refused after a first ACK without ENO"),
	COUNTER(FALLBACK_PEER_PLAIN, "fallback", "peer plain",
		"Fallbacks because the peer answered our Init1 as plain TCP"),
	COUNTER(SYN_DATA_DISCARDED, "syn", "data discarded",
		"Received SYNs with ENO whose data was discarded"),
	COUNTER(MSS_CLAMPED, "syn", "mss clamped",
		"Received SYNs whose MSS was lowered by the frame overhead"),
	COUNTER(SESSIONS_RESUMED, "kex", "resumed",
		"Sessions resumed from a cached secret, without key exchange"),
	COUNTER(KEX_REQUESTS, "kex", "requests",
		"Key agreement requests sent to the daemon"),
	COUNTER(KEX_FAILURES, "kex", "failures",
		"Key agreements that failed: daemon error, bad reply, timeout"),
	COUNTER(CONN_ENCRYPTING, "connections", "encrypting",
		"Connections whose keys were installed"),
	COUNTER(CONN_ABORTS, "connections", "aborted",
		"Connections aborted (RST both ways)"),
	COUNTER(CONN_RESETS, "connections", "reset",
		"Connections reset before encryption was on"),
	COUNTER(CONN_CLOSED, "connections", "closed",
		"Protected connections forgotten after their socket closed"),
	COUNTER(CONN_EXPIRED, "connections", "expired",
		"Entries dropped unused: idle half-open, or 4-tuple reused"),
	COUNTER(CONN_TABLE_FULL, "connections", "table full",
		"Connections left plain because the connection table was full"),
	COUNTER(PROBE_REKEYS, "probes", "rekeys",
		"Keep-alive and window probes sent as rekey frames"),
	COUNTER(PROBE_PLAIN, "probes", "plain",
		"Probes sent as plain TCP probes: no key generation could start"),
};

const size_t tc_n_counters = ARRAY_SIZE(tc_counters);

const struct tc_counter *tc_counter_find(int attr)
{
	size_t i;

	for (i = 0; i < tc_n_counters; i++)
		if (tc_counters[i].attr == attr)
			return &tc_counters[i];
	return NULL;
}

const char *tc_counter_key(const struct tc_counter *c, char *buf)
{
	size_t i;

	for (i = 0; c->name[i] && i < TC_COUNTER_KEY_LEN - 1; i++)
		buf[i] = (char)tolower((unsigned char)c->name[i]);
	buf[i] = '\0';
	return buf;
}

static bool sent(const struct tc_stats *s, const struct tc_counter *c)
{
	return c->attr > 0 && c->attr <= TCPCRYPT_STATS_A_MAX &&
	       s->present[c->attr];
}

bool tc_counters_any(const struct tc_stats *s)
{
	size_t i;

	for (i = 0; i < tc_n_counters; i++)
		if (sent(s, &tc_counters[i]))
			return true;
	return false;
}

void tc_counters_print_dump(FILE *f, const struct tc_stats *s)
{
	char key[TC_COUNTER_KEY_LEN];
	const struct tc_counter *c;
	size_t i;

	for (i = 0; i < tc_n_counters; i++) {
		c = &tc_counters[i];
		if (sent(s, c))
			fprintf(f, "%s %" PRIu64 "\n", tc_counter_key(c, key),
				s->value[c->attr]);
	}
}

void tc_counters_print_pretty(FILE *f, const struct tc_stats *s,
			      const char *indent)
{
	const char *group = NULL;
	const struct tc_counter *c;
	size_t i;

	for (i = 0; i < tc_n_counters; i++) {
		c = &tc_counters[i];
		if (!sent(s, c))
			continue;
		/* absent rows are skipped: a group starts where its name changes */
		if (group && !strcmp(group, c->group)) {
			fputs(", ", f);
		} else {
			if (group)
				fputc('\n', f);
			fprintf(f, "%s%s: ", indent, c->group);
			group = c->group;
		}
		fprintf(f, "%" PRIu64 " %s", s->value[c->attr], c->label);
	}
	if (group)
		fputc('\n', f);
}
