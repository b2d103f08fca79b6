// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ctl_worker.h"
#include "log.h"

struct ctl_worker {
	struct loop *loop;
	struct ctl_handlers h;
	ctl_job_done_fn done;
	void *arg;
	int to_worker[2];	/* job pointers, loop -> worker */
	int to_loop[2];		/* the same, answered, worker -> loop */
	pthread_t thread;
};

static void *worker_run(void *arg)
{
	struct ctl_worker *w = arg;
	struct ctl_job *job;

	/* one pointer per read and write: a pipe moves them whole */
	while (read(w->to_worker[0], &job, sizeof(job)) == sizeof(job)) {
		/* SET_POLICY alone (control.c): never the loop's sessid_arg */
		if (job->len)
			job->out_len = ctl_answer(job->msg, job->len, &w->h,
						  &job->peer, job->out,
						  sizeof(job->out));
		if (job->peer.sock >= 0)
			close(job->peer.sock);
		job->peer.sock = -1;
		if (write(w->to_loop[1], &job, sizeof(job)) != sizeof(job))
			free(job);	/* the loop is gone */
	}
	return NULL;
}

static void on_done(int fd, short revents, void *arg)
{
	struct ctl_worker *w = arg;
	struct ctl_job *job;

	(void)revents;
	while (read(fd, &job, sizeof(job)) == sizeof(job))
		w->done(job, w->arg);
}

int ctl_worker_start(struct loop *l, const struct ctl_handlers *h,
		     ctl_job_done_fn done, void *arg, struct ctl_worker **out)
{
	struct ctl_worker *w;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->loop = l;
	w->h = *h;
	w->done = done;
	w->arg = arg;
	if (pipe2(w->to_worker, O_CLOEXEC))
		goto err_errno;
	if (pipe2(w->to_loop, O_CLOEXEC)) {
		err = -errno;
		goto err_close_worker;
	}
	/* the loop never waits on either pipe */
	if (fcntl(w->to_worker[1], F_SETFL, O_NONBLOCK) ||
	    fcntl(w->to_loop[0], F_SETFL, O_NONBLOCK)) {
		err = -errno;
		goto err_close_all;
	}
	err = loop_add_fd(l, w->to_loop[0], POLLIN, on_done, w);
	if (err)
		goto err_close_all;
	err = -pthread_create(&w->thread, NULL, worker_run, w);
	if (err) {
		loop_del_fd(l, w->to_loop[0]);
		goto err_close_all;
	}
	*out = w;
	return 0;

err_errno:
	err = -errno;
	free(w);
	return err;
err_close_all:
	close(w->to_loop[0]);
	close(w->to_loop[1]);
err_close_worker:
	close(w->to_worker[0]);
	close(w->to_worker[1]);
	free(w);
	return err;
}

int ctl_worker_submit(struct ctl_worker *w, struct ctl_job *job)
{
	ssize_t n = write(w->to_worker[1], &job, sizeof(job));

	if (n == sizeof(job))
		return 0;
	return n < 0 ? -errno : -EIO;
}

void ctl_worker_stop(struct ctl_worker *w)
{
	struct timespec until;
	struct ctl_job *job;

	if (!w)
		return;
	loop_del_fd(w->loop, w->to_loop[0]);
	/* EOF ends the worker once it is done with what it has */
	close(w->to_worker[1]);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += CTL_WORKER_STOP_S;
	if (pthread_timedjoin_np(w->thread, NULL, &until)) {
		/* blocked on a socket: the process's exit ends it */
		log_warn("control: worker still blocked on a socket, left behind");
		pthread_detach(w->thread);
		return;
	}
	while (read(w->to_loop[0], &job, sizeof(job)) == sizeof(job))
		free(job);
	close(w->to_worker[0]);
	close(w->to_loop[0]);
	close(w->to_loop[1]);
	free(w);
}
