/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * How many socket policies each user may have the module hold. A policy
 * set before connect() or on a listener takes one of the namespace's 4096
 * entries for up to TCPCRYPT_SOCK_POLICY_TTL seconds, so one local user
 * could otherwise take them all from the others. Per user (root excepted),
 * at most POLICY_QUOTA_PER_UID in any such period; the users last seen
 * are tracked, POLICY_QUOTA_UIDS of them.
 */
#ifndef TCPCRYPTD_POLICY_QUOTA_H
#define TCPCRYPTD_POLICY_QUOTA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define POLICY_QUOTA_PER_UID	256
#define POLICY_QUOTA_UIDS	64

struct policy_quota {
	int64_t window_ms;		/* the period */
	struct {
		uid_t uid;
		int64_t start;		/* of its current period */
		unsigned int n;		/* taken in it */
		bool used;
	} slot[POLICY_QUOTA_UIDS];
};

void policy_quota_init(struct policy_quota *q, int64_t window_ms);
/*
 * One more for uid at now_ms: 0, or -EDQUOT when it has had
 * POLICY_QUOTA_PER_UID in the current period. Unknown users ((uid_t)-1)
 * are refused: only a unix control socket says who asks.
 */
int policy_quota_take(struct policy_quota *q, uid_t uid, int64_t now_ms);

#endif /* TCPCRYPTD_POLICY_QUOTA_H */
