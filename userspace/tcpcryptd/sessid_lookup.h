/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Session IDs for the control socket, from the module's connection table:
 * CONN_GET with the 4-tuple, or a dump when the request leaves the local
 * address or port open.
 */
#ifndef TCPCRYPTD_SESSID_LOOKUP_H
#define TCPCRYPTD_SESSID_LOOKUP_H

#include <stdint.h>

#include "ctlproto.h"
#include "genl.h"

/*
 * ctl_sessid_fn over the netlink socket arg (struct tc_genl *). -ENOENT
 * when no connection matches or it has no session ID yet, -ENOTUNIQ when
 * a wildcard matches more than one.
 */
int sessid_lookup(const struct tc_ctl_tuple *t,
		  uint8_t sessid[TC_CTL_SESSID_LEN], void *arg);

#endif /* TCPCRYPTD_SESSID_LOOKUP_H */
