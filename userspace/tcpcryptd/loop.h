/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tcpcryptd's event loop: poll() over a small set of file descriptors
 * (signals, netlink, control sockets, the network self-test), plus timers
 * that say how long until they next want to run.
 */
#ifndef TCPCRYPTD_LOOP_H
#define TCPCRYPTD_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <poll.h>

#define LOOP_MAX_FDS	80
#define LOOP_MAX_TIMERS	4

typedef void (*loop_fd_fn)(int fd, short revents, void *arg);
/*
 * Returns the milliseconds until it wants to run again, or -1 to stay
 * disarmed (unless it re-armed itself with loop_arm_timer()).
 */
typedef int (*loop_timer_fn)(int64_t now_ms, void *arg);

struct loop {
	struct pollfd pfd[LOOP_MAX_FDS];
	struct {
		loop_fd_fn fn;
		void *arg;
		uint64_t id;	/* tells a re-used descriptor number apart */
	} fd_cb[LOOP_MAX_FDS];
	unsigned int nfds;
	uint64_t next_id;
	struct {
		loop_timer_fn fn;
		void *arg;
		int64_t due;	/* -1: not armed */
	} timers[LOOP_MAX_TIMERS];
	unsigned int ntimers;
	bool stop;
};

int64_t loop_now_ms(void);

void loop_init(struct loop *l);
/* -ENOSPC when the loop is full, -EEXIST when fd is already there */
int loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn fn,
		void *arg);
void loop_del_fd(struct loop *l, int fd);

/* The timer first runs after delay_ms (-1: not armed yet) */
int loop_add_timer(struct loop *l, loop_timer_fn fn, void *arg,
		   int delay_ms);
void loop_arm_timer(struct loop *l, loop_timer_fn fn, void *arg,
		    int delay_ms);
void loop_del_timer(struct loop *l, loop_timer_fn fn, void *arg);

/* One poll() of at most max_wait_ms (-1: until something happens) */
int loop_run_once(struct loop *l, int max_wait_ms);
/* Until loop_stop() */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif /* TCPCRYPTD_LOOP_H */
