// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "ctl_worker.h"
#include "log.h"
#include "sockname.h"

struct ctl_client {
	int fd;			/* -1: free slot */
	uint64_t id;		/* tells a re-used slot apart, never 0 */
	int passed;		/* a socket it passed along, for its next
				 * request; -1: none */
	bool busy;		/* its request is with the worker */
	uid_t uid;		/* SO_PEERCRED, (uid_t)-1 over TCP */
	size_t len;		/* bytes of a request received so far */
	uint8_t buf[TC_CTL_MAX_MSG];
	int64_t last_active;
};

struct ctl_server {
	struct loop *loop;
	int listen_fd;
	struct ctl_handlers h;
	struct ctl_worker *worker;
	uint64_t next_id;
	char where[128];	/* for log lines */
	/* The unix socket file we created, to remove it (and only it) */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;
	ino_t ino;
	struct ctl_client clients[CTL_MAX_CLIENTS];
};

/*
 * A socket a client passed along goes to the worker, to be closed there:
 * the loop never touches it (see ctl_worker.h). As a job with no request
 * and nobody to answer.
 */
static void reap_passed(struct ctl_server *s, int fd)
{
	struct ctl_job *job;

	if (fd < 0)
		return;
	job = calloc(1, sizeof(*job));
	if (job) {
		job->peer.sock = fd;
		job->peer.uid = (uid_t)-1;
		if (!ctl_worker_submit(s->worker, job))
			return;
		free(job);
	}
	close(fd);	/* out of memory: the one way left */
}

static void drop_passed(struct ctl_server *s, struct ctl_client *c)
{
	reap_passed(s, c->passed);
	c->passed = -1;
}

static void drop_client(struct ctl_server *s, struct ctl_client *c,
			const char *why)
{
	log_trace("control: client %d: %s", c->fd, why);
	loop_del_fd(s->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	c->id = 0;	/* an answer still with the worker goes nowhere */
	c->busy = false;
	c->len = 0;
	drop_passed(s, c);
}

static bool send_reply(struct ctl_client *c, const uint8_t *out, size_t n)
{
	ssize_t sent;

	/* Replies are tiny; a client that does not read them is dropped */
	sent = send(c->fd, out, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	return sent == (ssize_t)n;
}

/*
 * SET_POLICY goes to the worker, with the socket passed along (if any);
 * the client waits for its answer before its next request is looked at.
 */
static bool to_worker(struct ctl_server *s, struct ctl_client *c, int len)
{
	struct ctl_job *job = calloc(1, sizeof(*job));

	if (!job)
		return false;
	memcpy(job->msg, c->buf, (size_t)len);
	job->len = (size_t)len;
	job->peer.sock = c->passed;
	job->peer.uid = c->uid;
	job->slot = (unsigned int)(c - s->clients);
	job->client_id = c->id;
	if (ctl_worker_submit(s->worker, job)) {
		free(job);
		return false;
	}
	c->passed = -1;
	c->busy = true;
	return true;
}

/* Answer every complete request in the buffer; false: drop the client */
static bool serve_buffer(struct ctl_server *s, struct ctl_client *c)
{
	uint8_t out[TC_CTL_MAX_MSG];
	int len = 0;
	size_t n;

	while (!c->busy && (len = ctl_frame(c->buf, c->len)) > 0) {
		if (c->buf[5] == TC_CTL_OP_SET_POLICY) {
			if (!to_worker(s, c, len))
				return false;
		} else {
			/* a socket passed along serves no other request */
			drop_passed(s, c);
			n = ctl_answer(c->buf, (size_t)len, &s->h, NULL, out,
				       sizeof(out));
			if (!send_reply(c, out, n))
				return false;
		}
		c->len -= (size_t)len;
		memmove(c->buf, c->buf + len, c->len);
	}
	if (c->busy)
		return true;
	if (len < 0) {
		log_debug("control: client %d: malformed request (%s)", c->fd,
			  strerror(-len));
		n = ctl_answer_framing_error(len, out, sizeof(out));
		send_reply(c, out, n);
		return false;
	}
	return true;
}

static struct ctl_client *client_of(struct ctl_server *s, int fd)
{
	unsigned int i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (s->clients[i].fd == fd)
			return &s->clients[i];
	return NULL;
}

/*
 * recv() that also takes a socket passed along as SCM_RIGHTS (unix
 * control sockets): the first one of a request is kept, any other closed.
 */
static ssize_t recv_request(struct ctl_server *s, struct ctl_client *c)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} ctl;
	struct iovec iov = {
		.iov_base = c->buf + c->len,
		.iov_len = sizeof(c->buf) - c->len,
	};
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;
	int fd;

	n = recvmsg(c->fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return n;
	fd = tc_scm_take_fd(&m);
	if (fd >= 0 && c->passed < 0)
		c->passed = fd;
	else
		reap_passed(s, fd);
	return n;
}

/* The worker answered a request: to its client, if still the same */
static void job_done(struct ctl_job *job, void *arg)
{
	struct ctl_server *s = arg;
	struct ctl_client *c = &s->clients[job->slot];

	if (job->client_id && c->fd >= 0 && c->id == job->client_id) {
		c->busy = false;
		c->last_active = loop_now_ms();
		if (!send_reply(c, job->out, job->out_len) ||
		    !serve_buffer(s, c))
			drop_client(s, c, "dropped");
	}
	free(job);
}

static void on_client(int fd, short revents, void *arg)
{
	struct ctl_server *s = arg;
	struct ctl_client *c = client_of(s, fd);
	ssize_t n;

	if (!c)
		return;
	if (!(revents & POLLIN)) {
		drop_client(s, c, "hung up");
		return;
	}
	n = recv_request(s, c);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop_client(s, c, n ? strerror(errno) : "closed");
		return;
	}
	c->len += (size_t)n;
	c->last_active = loop_now_ms();
	if (!serve_buffer(s, c))
		drop_client(s, c, "dropped");
}

static int idle_timer(int64_t now, void *arg)
{
	struct ctl_server *s = arg;
	int64_t next = -1, due;
	unsigned int i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		struct ctl_client *c = &s->clients[i];

		if (c->fd < 0)
			continue;
		due = c->last_active + CTL_IDLE_MS;
		if (due <= now) {
			drop_client(s, c, "idle");
			continue;
		}
		if (next < 0 || due - now < next)
			next = due - now;
	}
	return (int)next;
}

/* A free slot, or the longest-idle client's after disconnecting it */
static struct ctl_client *free_slot(struct ctl_server *s)
{
	struct ctl_client *oldest = &s->clients[0];
	unsigned int i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		if (s->clients[i].fd < 0)
			return &s->clients[i];
		if (s->clients[i].last_active < oldest->last_active)
			oldest = &s->clients[i];
	}
	drop_client(s, oldest, "replaced by a new client");
	return oldest;
}

static unsigned int client_count(const struct ctl_server *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		n += s->clients[i].fd >= 0;
	return n;
}

/* Who is on the other end of a unix client; (uid_t)-1 when unknown */
static uid_t peer_uid(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return (uid_t)-1;
	return cred.uid;
}

static void on_listen(int fd, short revents, void *arg)
{
	struct ctl_server *s = arg;
	struct ctl_client *c;
	int cfd;

	(void)revents;
	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("control: accept: %s", strerror(errno));
			return;
		}
		c = free_slot(s);
		if (loop_add_fd(s->loop, cfd, POLLIN, on_client, s)) {
			log_warn("control: too many descriptors, refusing a client");
			close(cfd);
			continue;
		}
		c->fd = cfd;
		c->id = ++s->next_id;
		c->uid = peer_uid(cfd);
		c->len = 0;
		c->last_active = loop_now_ms();
		log_trace("control: client %d connected", cfd);
		if (client_count(s) == 1)
			loop_arm_timer(s->loop, idle_timer, s, CTL_IDLE_MS);
	}
}

/* Is a live process accepting on this unix socket path? */
static bool unix_path_served(const struct tc_ctl_addr *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool served;

	if (fd < 0)
		return true;	/* cannot tell: do not remove anything */
	/* ENOENT: the file went away meanwhile, which is fine too */
	served = !connect(fd, (const struct sockaddr *)&a->ss, a->len) ||
		 (errno != ECONNREFUSED && errno != ENOENT);
	close(fd);
	return served;
}

static int bind_unix(struct ctl_server *s, int fd, const struct tc_ctl_addr *a)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)&a->ss;
	struct stat st;

	if (!bind(fd, (const struct sockaddr *)&a->ss, a->len))
		goto bound;
	if (errno != EADDRINUSE)
		return -errno;
	if (lstat(sun->sun_path, &st) || !S_ISSOCK(st.st_mode)) {
		log_err("control socket %s exists and is not a socket",
			s->where);
		return -EEXIST;
	}
	if (unix_path_served(a)) {
		log_err("control socket %s is in use by another process (another tcpcryptd? use -u)",
			s->where);
		return -EADDRINUSE;
	}
	log_info("removing stale control socket %s", s->where);
	if ((unlink(sun->sun_path) && errno != ENOENT) ||
	    bind(fd, (const struct sockaddr *)&a->ss, a->len))
		return -errno;
bound:
	/* Any local application may ask for its session IDs */
	if (chmod(sun->sun_path, 0666) || lstat(sun->sun_path, &st)) {
		int err = -errno;

		unlink(sun->sun_path);
		return err;
	}
	memcpy(s->path, sun->sun_path, sizeof(s->path));
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
}

static int bind_tcp(int fd, const struct tc_ctl_addr *a)
{
	int one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&a->ss, a->len))
		return -errno;
	return 0;
}

static int listen_on(struct ctl_server *s, const struct tc_ctl_addr *a)
{
	int fd, err;

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	if (a->ss.ss_family == AF_UNIX)
		err = bind_unix(s, fd, a);
	else
		err = bind_tcp(fd, a);
	if (!err && listen(fd, 64))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	s->listen_fd = fd;
	return 0;
}

static void remove_socket_file(struct ctl_server *s)
{
	struct stat st;

	/* Only the file we made: a newer daemon may have replaced it */
	if (s->path[0] && !lstat(s->path, &st) && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		unlink(s->path);
	s->path[0] = '\0';
}

int ctl_server_open(struct loop *l, const struct tc_ctl_addr *a,
		    const struct ctl_handlers *h, struct ctl_server **out)
{
	struct ctl_server *s;
	unsigned int i;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->loop = l;
	s->h = *h;
	s->listen_fd = -1;
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		s->clients[i].fd = -1;
		s->clients[i].passed = -1;
	}
	tc_ctl_addr_str(a, s->where, sizeof(s->where));

	err = listen_on(s, a);
	if (err) {
		if (err != -EEXIST && err != -EADDRINUSE)
			log_err("cannot listen on control socket %s: %s",
				s->where, strerror(-err));
		goto err_free;
	}
	err = ctl_worker_start(l, &s->h, job_done, s, &s->worker);
	if (err) {
		log_err("cannot start the control worker: %s", strerror(-err));
		goto err_close;
	}
	err = loop_add_fd(l, s->listen_fd, POLLIN, on_listen, s);
	if (!err)
		err = loop_add_timer(l, idle_timer, s, -1);
	if (err) {
		log_err("cannot serve control socket %s: %s", s->where,
			strerror(-err));
		goto err_stop_worker;
	}
	log_info("control socket: %s", s->where);
	*out = s;
	return 0;

err_stop_worker:
	loop_del_fd(l, s->listen_fd);
	ctl_worker_stop(s->worker);
err_close:
	close(s->listen_fd);
	remove_socket_file(s);
err_free:
	free(s);
	return err;
}

void ctl_server_close(struct ctl_server *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (s->clients[i].fd >= 0)
			drop_client(s, &s->clients[i], "daemon stopping");
	loop_del_timer(s->loop, idle_timer, s);
	loop_del_fd(s->loop, s->listen_fd);
	ctl_worker_stop(s->worker);
	close(s->listen_fd);
	remove_socket_file(s);
	free(s);
}
