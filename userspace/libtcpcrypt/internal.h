/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Inside libtcpcrypt. The library is built with -fvisibility=hidden: only
 * definitions marked TCPCRYPT_EXPORT (the functions of
 * <tcpcrypt/tcpcrypt.h>) are visible to applications.
 */
#ifndef TC_LIB_INTERNAL_H
#define TC_LIB_INTERNAL_H

#include <stdint.h>

#include "ctladdr.h"
#include "ctlproto.h"

#define TCPCRYPT_EXPORT __attribute__((visibility("default")))

/* How long tcpcryptd has to answer, each way */
#define TC_LIB_TIMEOUT_MS	5000

/* The control socket to use now (setparam, environment, default). */
int tc_lib_ctl_addr(struct tc_ctl_addr *a);

/*
 * Ask tcpcryptd for the session ID of t. Returns 0 or a negative errno
 * (see tcpcrypt_getsockopt() in the public header).
 */
int tc_lib_query_sessid(const struct tc_ctl_tuple *t,
			uint8_t sessid[TC_CTL_SESSID_LEN]);

/*
 * Have tcpcryptd set the resumption policy of socket s, which it receives
 * along (a unix control socket only: -EOPNOTSUPP otherwise). Returns 0 or
 * a negative errno (see tcpcrypt_setsockopt() in the public header).
 */
int tc_lib_set_policy(int s, const struct tc_ctl_policy *p);

#endif /* TC_LIB_INTERNAL_H */
