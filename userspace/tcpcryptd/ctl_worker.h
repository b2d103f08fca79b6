/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A thread for the control requests that come with a socket passed along
 * (SET_POLICY), and for closing sockets passed along with anything else. Looking at such a socket may wait for its lock
 * (getsockname()), and closing it may block (a lingering close, when the
 * application dropped its own copy): neither may hold up the event loop,
 * which runs every key exchange. The loop hands a job over and gets it
 * back, answered, through two pipes.
 */
#ifndef TCPCRYPTD_CTL_WORKER_H
#define TCPCRYPTD_CTL_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "ctl_dispatch.h"
#include "loop.h"

struct ctl_job {
	/* in: the request, the socket passed along with it (the job owns
	 * it: the worker closes it), and whom to answer */
	uint8_t msg[TC_CTL_MAX_MSG];
	size_t len;
	struct ctl_peer peer;
	unsigned int slot;
	uint64_t client_id;
	/* out: the reply */
	uint8_t out[TC_CTL_MAX_MSG];
	size_t out_len;
};

struct ctl_worker;

/* How long stopping waits for the worker to finish its jobs */
#define CTL_WORKER_STOP_S	2

/* Called in the loop with each job done; it frees the job */
typedef void (*ctl_job_done_fn)(struct ctl_job *job, void *arg);

int ctl_worker_start(struct loop *l, const struct ctl_handlers *h,
		     ctl_job_done_fn done, void *arg, struct ctl_worker **out);
/*
 * Hand job over: 0, or a negative errno (the job is still the caller's).
 */
int ctl_worker_submit(struct ctl_worker *w, struct ctl_job *job);
/*
 * Stop: the worker finishes the jobs it has (their answers are dropped)
 * and ends. One still blocked after CTL_WORKER_STOP_S is left to the
 * process's exit, with its jobs.
 */
void ctl_worker_stop(struct ctl_worker *w);

#endif /* TCPCRYPTD_CTL_WORKER_H */
