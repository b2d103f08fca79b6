// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include <time.h>

#include "loop.h"

int64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void loop_init(struct loop *l)
{
	memset(l, 0, sizeof(*l));
}

static int find_fd(const struct loop *l, int fd)
{
	unsigned int i;

	for (i = 0; i < l->nfds; i++)
		if (l->pfd[i].fd == fd)
			return (int)i;
	return -1;
}

int loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn fn,
		void *arg)
{
	if (find_fd(l, fd) >= 0)
		return -EEXIST;
	if (l->nfds == LOOP_MAX_FDS)
		return -ENOSPC;
	l->pfd[l->nfds].fd = fd;
	l->pfd[l->nfds].events = events;
	l->pfd[l->nfds].revents = 0;
	l->fd_cb[l->nfds].fn = fn;
	l->fd_cb[l->nfds].arg = arg;
	l->fd_cb[l->nfds].id = ++l->next_id;
	l->nfds++;
	return 0;
}

void loop_del_fd(struct loop *l, int fd)
{
	int i = find_fd(l, fd);

	if (i < 0)
		return;
	l->nfds--;
	l->pfd[i] = l->pfd[l->nfds];
	l->fd_cb[i] = l->fd_cb[l->nfds];
}

static int find_timer(const struct loop *l, loop_timer_fn fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < l->ntimers; i++)
		if (l->timers[i].fn == fn && l->timers[i].arg == arg)
			return (int)i;
	return -1;
}

int loop_add_timer(struct loop *l, loop_timer_fn fn, void *arg,
		   int delay_ms)
{
	if (find_timer(l, fn, arg) >= 0)
		return -EEXIST;
	if (l->ntimers == LOOP_MAX_TIMERS)
		return -ENOSPC;
	l->timers[l->ntimers].fn = fn;
	l->timers[l->ntimers].arg = arg;
	l->ntimers++;
	loop_arm_timer(l, fn, arg, delay_ms);
	return 0;
}

void loop_arm_timer(struct loop *l, loop_timer_fn fn, void *arg,
		    int delay_ms)
{
	int i = find_timer(l, fn, arg);

	if (i >= 0)
		l->timers[i].due = delay_ms < 0 ? -1 :
				   loop_now_ms() + delay_ms;
}

void loop_del_timer(struct loop *l, loop_timer_fn fn, void *arg)
{
	int i = find_timer(l, fn, arg);

	if (i < 0)
		return;
	l->ntimers--;
	l->timers[i] = l->timers[l->ntimers];
}

/* Milliseconds until the first armed timer, bounded by max_wait_ms */
static int next_wait(const struct loop *l, int max_wait_ms)
{
	int64_t now = loop_now_ms(), wait = max_wait_ms, left;
	unsigned int i;

	for (i = 0; i < l->ntimers; i++) {
		if (l->timers[i].due < 0)
			continue;
		left = l->timers[i].due > now ? l->timers[i].due - now : 0;
		if (wait < 0 || left < wait)
			wait = left;
	}
	return (int)wait;
}

static void run_timers(struct loop *l)
{
	int64_t now = loop_now_ms();
	loop_timer_fn fn;
	unsigned int i;
	int next, j;
	void *arg;

	for (i = 0; i < l->ntimers; i++) {
		if (l->timers[i].due < 0 || l->timers[i].due > now)
			continue;
		fn = l->timers[i].fn;
		arg = l->timers[i].arg;
		l->timers[i].due = -1;
		next = fn(now, arg);
		/* The callback may have added or deleted timers */
		j = find_timer(l, fn, arg);
		if (j >= 0 && next >= 0)
			l->timers[j].due = now + next;
	}
}

int loop_run_once(struct loop *l, int max_wait_ms)
{
	struct pollfd ready[LOOP_MAX_FDS];
	uint64_t ids[LOOP_MAX_FDS];
	unsigned int i, n = l->nfds;
	int count, j;

	count = poll(l->pfd, n, next_wait(l, max_wait_ms));
	if (count < 0) {
		if (errno == EINTR)
			return 0;
		return -errno;
	}
	/*
	 * Callbacks add and remove descriptors: work from a copy, and skip
	 * registrations that are gone by the time their turn comes.
	 */
	memcpy(ready, l->pfd, n * sizeof(ready[0]));
	for (i = 0; i < n; i++)
		ids[i] = l->fd_cb[i].id;
	for (i = 0; i < n && count > 0 && !l->stop; i++) {
		if (!ready[i].revents)
			continue;
		count--;
		j = find_fd(l, ready[i].fd);
		if (j >= 0 && l->fd_cb[j].id == ids[i])
			l->fd_cb[j].fn(ready[i].fd, ready[i].revents,
				       l->fd_cb[j].arg);
	}
	if (!l->stop)
		run_timers(l);
	return 0;
}

int loop_run(struct loop *l)
{
	int err = 0;

	while (!l->stop && !err)
		err = loop_run_once(l, -1);
	return err;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
