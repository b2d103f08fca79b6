// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The per-user quota of socket policies (tcpcryptd/policy_quota.c): the
 * limit per period, root excepted, unknown users refused, the period
 * starting over, and more users than the tracker holds.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "policy_quota.h"

#define WINDOW	600000

TEST(limit_per_user_and_period)
{
	struct policy_quota q;
	unsigned int i;

	policy_quota_init(&q, WINDOW);
	for (i = 0; i < POLICY_QUOTA_PER_UID; i++)
		ASSERT_EQ(0, policy_quota_take(&q, 1000, 5 + i));
	EXPECT_EQ(-EDQUOT, policy_quota_take(&q, 1000, 1000));
	/* another user is not affected */
	EXPECT_EQ(0, policy_quota_take(&q, 1001, 1000));
	/* still refused just before the period ends, not after */
	EXPECT_EQ(-EDQUOT, policy_quota_take(&q, 1000, 5 + WINDOW - 1));
	EXPECT_EQ(0, policy_quota_take(&q, 1000, 5 + WINDOW));
}

TEST(root_excepted_unknown_refused)
{
	struct policy_quota q;
	unsigned int i;

	policy_quota_init(&q, WINDOW);
	for (i = 0; i < 3 * POLICY_QUOTA_PER_UID; i++)
		ASSERT_EQ(0, policy_quota_take(&q, 0, i));
	EXPECT_EQ(-EDQUOT, policy_quota_take(&q, (uid_t)-1, 0));
}

/* More users than slots: the oldest period gives its slot up */
TEST(more_users_than_slots)
{
	struct policy_quota q;
	unsigned int i;

	policy_quota_init(&q, WINDOW);
	for (i = 0; i < POLICY_QUOTA_PER_UID; i++)
		ASSERT_EQ(0, policy_quota_take(&q, 1000, 1));
	for (i = 0; i < POLICY_QUOTA_UIDS; i++)
		ASSERT_EQ(0, policy_quota_take(&q, 2000 + i, 2 + i));
	/* 1000 was evicted (oldest), and starts a new period */
	EXPECT_EQ(0, policy_quota_take(&q, 1000, 100));
	/* the others keep theirs */
	for (i = 1; i < POLICY_QUOTA_PER_UID; i++)
		ASSERT_EQ(0, policy_quota_take(&q, 2000 + POLICY_QUOTA_UIDS - 1,
					       200));
	EXPECT_EQ(-EDQUOT, policy_quota_take(&q, 2000 + POLICY_QUOTA_UIDS - 1,
					     300));
}

TEST_HARNESS_MAIN
