/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A stand-in for tcpcryptd's control socket, in a thread, for testing
 * libtcpcrypt: it records each request and answers as told.
 */
#ifndef TC_TEST_FAKE_DAEMON_H
#define TC_TEST_FAKE_DAEMON_H

#include <pthread.h>
#include <stdint.h>

#include "ctlproto.h"

enum fake_mode {
	FAKE_SESSID,		/* answer with sessid */
	FAKE_STATUS,		/* answer with status */
	FAKE_GARBAGE,		/* answer with bytes that are no reply */
	FAKE_SILENT,		/* read the request, never answer */
};

struct fake_daemon {
	char spec[128];		/* what to give TCPCRYPT_PARAM_CTLPATH */
	char dir[64];
	int listen_fd;
	pthread_t thread;
	enum fake_mode mode;
	uint32_t status;
	uint8_t sessid[TC_CTL_SESSID_LEN];
	/* What the last request asked */
	int requests;
	uint8_t seen_op;
	struct tc_ctl_tuple seen;
	struct tc_ctl_policy seen_policy;
	/* SO_COOKIE of the socket it passed along, 0 when none */
	uint64_t seen_cookie;
};

/* tcp: listen on 127.0.0.1:<free port>, else on a unix socket */
int fake_daemon_start(struct fake_daemon *f, int tcp);
void fake_daemon_stop(struct fake_daemon *f);

#endif /* TC_TEST_FAKE_DAEMON_H */
