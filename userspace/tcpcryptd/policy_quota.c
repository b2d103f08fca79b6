// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>

#include "policy_quota.h"

void policy_quota_init(struct policy_quota *q, int64_t window_ms)
{
	memset(q, 0, sizeof(*q));
	q->window_ms = window_ms;
}

int policy_quota_take(struct policy_quota *q, uid_t uid, int64_t now_ms)
{
	unsigned int i, pick = 0;

	if (uid == 0)
		return 0;
	if (uid == (uid_t)-1)
		return -EDQUOT;
	for (i = 0; i < POLICY_QUOTA_UIDS; i++)
		if (q->slot[i].used && q->slot[i].uid == uid)
			break;
	if (i == POLICY_QUOTA_UIDS) {
		/* a free slot, else the one whose period began first */
		for (i = 0; i < POLICY_QUOTA_UIDS; i++) {
			if (!q->slot[i].used)
				break;
			if (q->slot[i].start < q->slot[pick].start)
				pick = i;
		}
		if (i == POLICY_QUOTA_UIDS)
			i = pick;
		q->slot[i].used = true;
		q->slot[i].uid = uid;
		q->slot[i].start = now_ms;
		q->slot[i].n = 0;
	}
	if (now_ms - q->slot[i].start >= q->window_ms) {
		q->slot[i].start = now_ms;
		q->slot[i].n = 0;
	}
	if (q->slot[i].n >= POLICY_QUOTA_PER_UID)
		return -EDQUOT;
	q->slot[i].n++;
	return 0;
}
