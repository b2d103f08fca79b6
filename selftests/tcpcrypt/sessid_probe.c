// SPDX-License-Identifier: GPL-2.0
/*
 * sessid_probe: what an application learns from libtcpcrypt about its own
 * connection. One side listens, the other connects; after one round trip
 * of data (so that the key exchange has finished on both ends when the
 * connection is protected) each asks tcpcrypt_getsockopt(TCP_CRYPT_SESSID)
 * and prints
 *
 *   local <endpoint>
 *   remote <endpoint>
 *   sessid <66 hex digits>       or      sessid-error <errno name>
 *
 * (endpoints as tcnetstat prints them). Resumption policy through
 * tcpcrypt_setsockopt() (RFC 8548 section 3.5): -n sets TCP_CRYPT_NORESUME
 * and -N TCP_CRYPT_NOCACHE on the socket before connect() or on the
 * listening socket (-B: before listen()); -F sets TCP_CRYPT_NOCACHE on the
 * connected socket
 * after the round trip (flushing what it cached). Each prints
 *
 *   policy <option> ok            or      policy <option> <errno name>
 *
 * and a failure makes the run fail. With -H PREFIX it then writes
 * PREFIX.<side> and waits for PREFIX.release before closing, so that the
 * test can look at the open connection. Exit status: 0 when the connection
 * and the round trip worked (whatever the session ID query said), 1 when
 * they did not, 2 on bad usage. -t bounds the whole run (default 30 s).
 *
 *   sessid_probe [-c CTLPATH] [-t SECONDS] [-H PREFIX] [-nNFB] server ADDR PORT READY
 *   sessid_probe [-c CTLPATH] [-t SECONDS] [-H PREFIX] [-nNFB] client ADDR PORT
 */
#define _GNU_SOURCE		/* strerrorname_np() */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tcpcrypt/tcpcrypt.h>

static const char *side;
/* the policy options, as given */
static int no_resume, no_cache, flush, before_listen;

static void on_alarm(int sig)
{
	static const char msg[] = "sessid_probe: timed out\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sessid_probe [-c CTLPATH] [-t SECONDS] [-H PREFIX] [-nNFB] server ADDR PORT READY\n"
		"       sessid_probe [-c CTLPATH] [-t SECONDS] [-H PREFIX] [-nNFB] client ADDR PORT\n");
	exit(2);
}

static int resolve(const char *addr, const char *port,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *res;
	int err;

	err = getaddrinfo(addr, port, &hints, &res);
	if (err) {
		fprintf(stderr, "sessid_probe: %s %s: %s\n", addr, port,
			gai_strerror(err));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void format_endpoint(const struct sockaddr_storage *ss, char *buf,
			    size_t len)
{
	const struct sockaddr_in6 *sin6 = (const void *)ss;
	const struct sockaddr_in *sin = (const void *)ss;
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(sin6->sin6_port));
	} else {
		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(sin->sin_port));
	}
}

/* tcpcrypt_setsockopt(optname, 1), reported; -1 when it failed */
static int set_policy(int s, int optname, const char *name)
{
	const char *ename;
	int one = 1;

	if (!tcpcrypt_setsockopt(s, IPPROTO_TCP, optname, &one,
				 sizeof(one))) {
		printf("policy %s ok\n", name);
		return 0;
	}
	ename = strerrorname_np(errno);
	printf("policy %s %s\n", name, ename ? ename : "unknown");
	return -1;
}

/* -n and -N, on a socket not connected yet or listening */
static int set_policies(int s)
{
	if (no_resume && set_policy(s, TCP_CRYPT_NORESUME, "noresume"))
		return -1;
	if (no_cache && set_policy(s, TCP_CRYPT_NOCACHE, "nocache"))
		return -1;
	return 0;
}

static int open_server(const struct sockaddr_storage *ss, socklen_t len,
		       const char *ready)
{
	int one = 1, ls, s, fd;

	ls = socket(ss->ss_family, SOCK_STREAM, 0);
	if (ls < 0)
		return -1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (const struct sockaddr *)ss, len) ||
	    (before_listen && set_policies(ls)) || listen(ls, 1) ||
	    (!before_listen && set_policies(ls)))
		goto err_close;
	fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		goto err_close;
	close(fd);
	s = accept(ls, NULL, NULL);
	close(ls);
	return s;

err_close:
	close(ls);
	return -1;
}

static int open_client(const struct sockaddr_storage *ss, socklen_t len)
{
	int s;

	s = socket(ss->ss_family, SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	if (set_policies(s) || connect(s, (const struct sockaddr *)ss, len)) {
		close(s);
		return -1;
	}
	return s;
}

static int send_str(int s, const char *str)
{
	size_t len = strlen(str);

	return send(s, str, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* Read exactly strlen(want) bytes and compare */
static int expect_str(int s, const char *want)
{
	size_t len = strlen(want), got = 0;
	char buf[16];
	ssize_t n;

	while (got < len) {
		n = recv(s, buf + got, len - got, 0);
		if (n <= 0) {
			if (!n)
				errno = EPIPE;
			return -1;
		}
		got += (size_t)n;
	}
	if (memcmp(buf, want, len)) {
		fprintf(stderr, "sessid_probe: %s: unexpected data from the peer\n",
			side);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

static void print_sessid(int s)
{
	unsigned char sid[TCPCRYPT_SID_MAXLEN];
	socklen_t len = sizeof(sid);
	const char *name;
	unsigned int i;

	if (tcpcrypt_getsockopt(s, IPPROTO_TCP, TCP_CRYPT_SESSID, sid, &len)) {
		name = strerrorname_np(errno);
		printf("sessid-error %s\n", name ? name : "unknown");
		return;
	}
	printf("sessid ");
	for (i = 0; i < len; i++)
		printf("%02X", sid[i]);
	printf("\n");
}

static void print_endpoints(int s)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[INET6_ADDRSTRLEN + 8];

	len = sizeof(ss);
	if (!getsockname(s, (struct sockaddr *)&ss, &len)) {
		format_endpoint(&ss, buf, sizeof(buf));
		printf("local %s\n", buf);
	}
	len = sizeof(ss);
	if (!getpeername(s, (struct sockaddr *)&ss, &len)) {
		format_endpoint(&ss, buf, sizeof(buf));
		printf("remote %s\n", buf);
	}
}

/* Signal the test through PREFIX.<side>, wait for PREFIX.release */
static int hold(const char *prefix)
{
	const struct timespec pause = { .tv_nsec = 50 * 1000 * 1000 };
	char path[4096];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s.%s", prefix, side);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(path, sizeof(path), "%s.release", prefix);
	while (stat(path, &st))
		nanosleep(&pause, NULL);
	return 0;
}

static int run(int s, int is_server, const char *hold_prefix)
{
	struct timeval tv = { .tv_sec = 30 };

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (is_server) {
		if (expect_str(s, "ping\n") || send_str(s, "pong\n"))
			return -1;
	} else {
		if (send_str(s, "ping\n") || expect_str(s, "pong\n"))
			return -1;
	}
	print_endpoints(s);
	print_sessid(s);
	if (flush && set_policy(s, TCP_CRYPT_NOCACHE, "flush"))
		return -1;
	fflush(stdout);
	if (hold_prefix && hold(hold_prefix))
		return -1;
	if (is_server)
		return expect_str(s, "done\n");
	if (send_str(s, "done\n") || shutdown(s, SHUT_WR))
		return -1;
	return 0;
}

int main(int argc, char *argv[])
{
	const char *ctlpath = NULL, *hold_prefix = NULL;
	struct sockaddr_storage ss;
	unsigned int timeout = 30;
	int opt, s, is_server;
	socklen_t len;

	while ((opt = getopt(argc, argv, "c:t:H:nNFB")) != -1) {
		switch (opt) {
		case 'c':
			ctlpath = optarg;
			break;
		case 't':
			timeout = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'H':
			hold_prefix = optarg;
			break;
		case 'n':
			no_resume = 1;
			break;
		case 'N':
			no_cache = 1;
			break;
		case 'F':
			flush = 1;
			break;
		case 'B':
			before_listen = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 3)
		usage();
	side = argv[optind];
	is_server = !strcmp(side, "server");
	if ((!is_server && strcmp(side, "client")) ||
	    argc - optind != (is_server ? 4 : 3))
		usage();
	signal(SIGALRM, on_alarm);
	alarm(timeout);
	if (ctlpath)
		tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, (void *)ctlpath);
	if (resolve(argv[optind + 1], argv[optind + 2], &ss, &len))
		return 1;

	if (is_server)
		s = open_server(&ss, len, argv[optind + 3]);
	else
		s = open_client(&ss, len);
	if (s < 0) {
		fprintf(stderr, "sessid_probe: %s: %s\n", side, strerror(errno));
		return 1;
	}
	if (run(s, is_server, hold_prefix)) {
		fprintf(stderr, "sessid_probe: %s: %s\n", side, strerror(errno));
		close(s);
		return 1;
	}
	close(s);
	return 0;
}
