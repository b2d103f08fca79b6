// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "genl_ops.h"
#include "log.h"
#include "names.h"
#include "registration.h"
#include "util.h"

/*
 * EBUSY: say who holds the namespace. The module puts the pid in the
 * extended-ACK cookie; kernels that drop cookies from error replies leave
 * us the status to ask.
 */
static void report_busy(const struct tc_genl *reg)
{
	struct tc_status st;
	struct tc_genl g;
	uint32_t pid;

	if (reg->cookie_len == sizeof(pid)) {
		memcpy(&pid, reg->cookie, sizeof(pid));
		log_err("another tcpcryptd is registered in this network namespace (pid %" PRIu32 ")",
			pid);
		return;
	}
	if (tc_genl_open(&g) || tc_status_get(&g, &st) ||
	    !st.daemon_registered)
		log_err("another tcpcryptd is registered in this network namespace");
	else
		log_err("another tcpcryptd is registered in this network namespace (pid %" PRIu32 ")",
			st.daemon_pid);
	tc_genl_close(&g);
}

static void log_registered(const struct options *o, const struct tc_genl *g)
{
	char teps[128] = "", aeads[128] = "", mark[32] = "any";
	size_t used = 0;
	unsigned int i;

	for (i = 0; i < o->n_teps && used < sizeof(teps); i++)
		used += (size_t)snprintf(teps + used, sizeof(teps) - used,
					 "%s%s", i ? " " : "",
					 tc_tep_name(o->teps[i]));
	used = 0;
	for (i = 0; i < o->n_aeads && used < sizeof(aeads); i++)
		used += (size_t)snprintf(aeads + used, sizeof(aeads) - used,
					 "%s%s", i ? " " : "",
					 tc_aead_name(o->aeads[i]));
	if (o->divert_mark)
		snprintf(mark, sizeof(mark), "0x%" PRIx32, o->divert_mark);
	log_info("registered with tcpcrypt.ko (pid %d, netlink port %" PRIu32
		 ", teps: %s; aeads: %s; divert mark: %s)", (int)getpid(),
		 nl_socket_get_local_port(g->sk), teps, aeads, mark);
}

int daemon_register(struct tc_genl *g, const struct options *o)
{
	struct tc_daemon_reg r = {
		.pid = (uint32_t)getpid(),
		.divert_mark = o->divert_mark,
		.version = TC_TOOLS_VERSION,
		.n_teps = o->n_teps,
		.n_aeads = o->n_aeads,
	};
	char buf[512];
	int err;

	memcpy(r.teps, o->teps, sizeof(r.teps));
	memcpy(r.aeads, o->aeads, sizeof(r.aeads));
	err = tc_daemon_register(g, &r);
	switch (err) {
	case 0:
		log_registered(o, g);
		break;
	case -EBUSY:
		report_busy(g);
		break;
	case -EPERM:
		log_err("registering with tcpcrypt.ko needs CAP_NET_ADMIN in this network namespace (%s)",
			tc_genl_strerror(g, err, buf, sizeof(buf)));
		break;
	default:
		log_err("cannot register with tcpcrypt.ko: %s",
			tc_genl_strerror(g, err, buf, sizeof(buf)));
		break;
	}
	return err;
}

void daemon_unregister(struct tc_genl *g)
{
	char buf[512];
	int err;

	err = tc_daemon_unregister(g);
	if (err)
		log_warn("cannot unregister from tcpcrypt.ko: %s",
			 tc_genl_strerror(g, err, buf, sizeof(buf)));
	else
		log_info("unregistered from tcpcrypt.ko");
}
