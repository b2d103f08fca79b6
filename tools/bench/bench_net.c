// SPDX-License-Identifier: GPL-2.0
/* Socket and clock helpers of the benchmark programs: see bench_net.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench_net.h"

int bench_addr_parse(struct bench_addr *a, const char *host, const char *port)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
	};
	struct addrinfo *res;
	int err;

	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		fprintf(stderr, "bad address %s port %s: %s\n", host, port,
			gai_strerror(err));
		return -1;
	}
	memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

void bench_addr_format(const struct sockaddr_storage *ss, char *buf,
		       size_t len)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(s4->sin_port));
	} else {
		snprintf(buf, len, "?");
	}
}

void bench_sock_ends(int fd, char *local, char *remote, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	sl = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	bench_addr_format(&ss, local, len);
	sl = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	getpeername(fd, (struct sockaddr *)&ss, &sl);
	bench_addr_format(&ss, remote, len);
}

/*
 * A stalled transfer ends the program with an error instead of hanging a
 * benchmark run: accepted sockets inherit this from the listener.
 */
static int set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = BENCH_IO_TIMEOUT };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))) {
		perror("SO_RCVTIMEO/SO_SNDTIMEO");
		return -1;
	}
	return 0;
}

int bench_listen(const struct bench_addr *a, const char *ready)
{
	int fd, one = 1, rfd;

	fd = socket(a->ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
		perror("SO_REUSEADDR");
		goto err_close;
	}
	if (set_timeouts(fd))
		goto err_close;
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len)) {
		perror("bind");
		goto err_close;
	}
	if (listen(fd, 128)) {
		perror("listen");
		goto err_close;
	}
	if (ready) {
		rfd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (rfd < 0) {
			perror(ready);
			goto err_close;
		}
		close(rfd);
	}
	return fd;

err_close:
	close(fd);
	return -1;
}

int bench_connect(const struct bench_addr *a, int nodelay)
{
	int fd;

	fd = socket(a->ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return -1;
	}
	if (nodelay &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay))) {
		perror("TCP_NODELAY");
		goto err_close;
	}
	if (set_timeouts(fd))
		goto err_close;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len)) {
		perror("connect");
		goto err_close;
	}
	return fd;

err_close:
	close(fd);
	return -1;
}

int bench_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("write");
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t bench_read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, p + got, len - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("read");
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

ssize_t bench_read_line(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len - 1 && !memchr(buf, '\n', got)) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("read");
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_cpu_times(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int bench_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}
