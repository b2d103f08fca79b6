// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The table of A's exchanges waiting for Init2: lookup by connection id,
 * the bound, expiry in order, replacement, and that every entry is freed
 * (AddressSanitizer's leak check runs at exit).
 */
#include <errno.h>

#include "kex_state.h"
#include "kselftest_harness.h"

static struct kex_pending *entry(uint64_t conn_id, uint8_t tep)
{
	struct kex_pending *p = kex_pending_alloc();

	if (p) {
		p->conn_id = conn_id;
		p->tep = tep;
		p->init1_len = 1;
	}
	return p;
}

FIXTURE(table) {
	struct kex_table t;
};

FIXTURE_SETUP(table)
{
	kex_table_init(&self->t, 8, 1000);
}

FIXTURE_TEARDOWN(table)
{
	kex_table_flush(&self->t);
	ASSERT_EQ(0, self->t.count);
	ASSERT_EQ(NULL, self->t.oldest);
}

TEST_F(table, take_finds_each_connection_once)
{
	struct kex_pending *p;
	uint64_t id;

	/* Ids that share a bucket as well as ids that do not */
	for (id = 1; id <= 8; id++)
		ASSERT_EQ(0, kex_table_add(&self->t, entry(id << 40, 0x23),
					   0));
	EXPECT_EQ(8, self->t.count);
	EXPECT_EQ(NULL, kex_table_take(&self->t, 9ULL << 40, 0));
	p = kex_table_take(&self->t, 5ULL << 40, 0);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(5ULL << 40, p->conn_id);
	EXPECT_EQ(NULL, p->hnext);
	kex_pending_free(p);
	EXPECT_EQ(NULL, kex_table_take(&self->t, 5ULL << 40, 0));
	EXPECT_EQ(7, self->t.count);
	for (id = 1; id <= 8; id++) {
		p = kex_table_take(&self->t, id << 40, 0);
		EXPECT_EQ(id != 5, p != NULL);
		kex_pending_free(p);
	}
	EXPECT_EQ(0, self->t.count);
	EXPECT_EQ(-1, kex_table_next_expiry(&self->t, 0));
}

TEST_F(table, bounded)
{
	struct kex_pending *extra = entry(100, 0x23);
	uint64_t id;

	for (id = 1; id <= 8; id++)
		ASSERT_EQ(0, kex_table_add(&self->t, entry(id, 0x23), 0));
	/* Full: the newcomer is refused and stays the caller's */
	EXPECT_EQ(-ENOBUFS, kex_table_add(&self->t, extra, 0));
	EXPECT_EQ(8, self->t.count);
	/* A restart of a listed connection still fits */
	EXPECT_EQ(0, kex_table_add(&self->t, entry(3, 0x24), 0));
	EXPECT_EQ(8, self->t.count);
	/* Once entries expired, there is room again */
	EXPECT_EQ(0, kex_table_add(&self->t, extra, 1000));
	EXPECT_EQ(1, self->t.count);
}

TEST_F(table, expiry_in_order)
{
	struct kex_pending *p;

	ASSERT_EQ(0, kex_table_add(&self->t, entry(1, 0x23), 0));
	ASSERT_EQ(0, kex_table_add(&self->t, entry(2, 0x23), 300));
	ASSERT_EQ(0, kex_table_add(&self->t, entry(3, 0x23), 600));
	EXPECT_EQ(1000, kex_table_next_expiry(&self->t, 0));
	EXPECT_EQ(100, kex_table_next_expiry(&self->t, 900));
	EXPECT_EQ(0, kex_table_next_expiry(&self->t, 2000));

	EXPECT_EQ(0, kex_table_expire(&self->t, 999));
	EXPECT_EQ(1, kex_table_expire(&self->t, 1000));
	EXPECT_EQ(700, kex_table_next_expiry(&self->t, 600));
	/* A lookup past an entry's lifetime does not find it */
	EXPECT_EQ(NULL, kex_table_take(&self->t, 2, 1300));
	p = kex_table_take(&self->t, 3, 1599);
	ASSERT_NE(NULL, p);
	kex_pending_free(p);
	EXPECT_EQ(0, self->t.count);
}

TEST_F(table, restart_moves_to_the_end)
{
	struct kex_pending *p;

	ASSERT_EQ(0, kex_table_add(&self->t, entry(1, 0x23), 0));
	ASSERT_EQ(0, kex_table_add(&self->t, entry(2, 0x23), 100));
	ASSERT_EQ(0, kex_table_add(&self->t, entry(1, 0x21), 200));
	EXPECT_EQ(2, self->t.count);
	EXPECT_EQ(2, self->t.oldest->conn_id);
	EXPECT_EQ(1, kex_table_expire(&self->t, 1100));
	p = kex_table_take(&self->t, 1, 1100);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0x21, p->tep);
	kex_pending_free(p);
}

TEST(free_accepts_null)
{
	kex_pending_free(NULL);
}

TEST_HARNESS_MAIN
