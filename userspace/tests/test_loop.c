// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tcpcryptd's event loop: descriptors, timers, and changes made by callbacks */
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "loop.h"

struct counter {
	struct loop *l;
	int calls;
	int other_fd;		/* removed by the callback, when >= 0 */
	int again_ms;		/* timer: what to return */
};

static void on_fd(int fd, short revents, void *arg)
{
	struct counter *c = arg;
	char buf[16];

	(void)revents;
	c->calls++;
	if (read(fd, buf, sizeof(buf)) < 0)
		return;
	if (c->other_fd >= 0)
		loop_del_fd(c->l, c->other_fd);
}

static int on_timer(int64_t now, void *arg)
{
	struct counter *c = arg;

	(void)now;
	c->calls++;
	return c->again_ms;
}

TEST(ready_descriptors_are_dispatched)
{
	struct counter a = { .other_fd = -1 }, b = { .other_fd = -1 };
	int p[2], q[2];
	struct loop l;

	loop_init(&l);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	ASSERT_EQ(0, loop_add_fd(&l, p[0], POLLIN, on_fd, &a));
	ASSERT_EQ(0, loop_add_fd(&l, q[0], POLLIN, on_fd, &b));
	EXPECT_EQ(-EEXIST, loop_add_fd(&l, p[0], POLLIN, on_fd, &a));
	ASSERT_EQ(1, write(q[1], "x", 1));
	ASSERT_EQ(0, loop_run_once(&l, 1000));
	EXPECT_EQ(0, a.calls);
	EXPECT_EQ(1, b.calls);
}

TEST(descriptor_removed_by_an_earlier_callback_is_skipped)
{
	struct counter a = { .other_fd = -1 }, b = { .other_fd = -1 };
	int p[2], q[2];
	struct loop l;

	loop_init(&l);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	a.l = &l;
	a.other_fd = q[0];
	ASSERT_EQ(0, loop_add_fd(&l, p[0], POLLIN, on_fd, &a));
	ASSERT_EQ(0, loop_add_fd(&l, q[0], POLLIN, on_fd, &b));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, write(q[1], "x", 1));
	ASSERT_EQ(0, loop_run_once(&l, 1000));
	EXPECT_EQ(1, a.calls);
	EXPECT_EQ(0, b.calls);
	EXPECT_EQ(1, (int)l.nfds);
}

TEST(timers_fire_in_time_and_rearm)
{
	struct counter once = { .again_ms = -1 }, twice = { .again_ms = 0 };
	struct loop l;
	int64_t t0;

	loop_init(&l);
	ASSERT_EQ(0, loop_add_timer(&l, on_timer, &once, 30));
	ASSERT_EQ(0, loop_add_timer(&l, on_timer, &twice, -1));
	EXPECT_EQ(-EEXIST, loop_add_timer(&l, on_timer, &once, 0));

	t0 = loop_now_ms();
	ASSERT_EQ(0, loop_run_once(&l, -1));
	EXPECT_GE(loop_now_ms() - t0, 29);
	EXPECT_EQ(1, once.calls);
	EXPECT_EQ(0, twice.calls);

	/* Disarmed now: a bounded wait passes without calls */
	ASSERT_EQ(0, loop_run_once(&l, 20));
	EXPECT_EQ(1, once.calls);

	loop_arm_timer(&l, on_timer, &twice, 0);
	ASSERT_EQ(0, loop_run_once(&l, 1000));
	EXPECT_EQ(1, twice.calls);
	/* It returned 0: due again at once */
	twice.again_ms = -1;
	ASSERT_EQ(0, loop_run_once(&l, 1000));
	EXPECT_EQ(2, twice.calls);
	loop_del_timer(&l, on_timer, &twice);
	EXPECT_EQ(1, (int)l.ntimers);
}

TEST(full_loop_refuses)
{
	struct counter c = { .other_fd = -1 };
	struct loop l;
	int i;

	loop_init(&l);
	for (i = 0; i < LOOP_MAX_FDS; i++)
		ASSERT_EQ(0, loop_add_fd(&l, 1000 + i, POLLIN, on_fd, &c));
	EXPECT_EQ(-ENOSPC, loop_add_fd(&l, 5000, POLLIN, on_fd, &c));
}

TEST_HARNESS_MAIN
