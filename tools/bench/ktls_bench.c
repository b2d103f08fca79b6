// SPDX-License-Identifier: GPL-2.0
/*
 * ktls_bench: bulk TCP throughput, optionally through kTLS, with every byte
 * checked end to end.
 *
 *   ktls_bench server ADDRESS PORT READY_FILE [--tls AEAD] [--hold FILE]
 *       accept one connection (READY_FILE is created once listening), read
 *       to EOF, answer "<bytes> <sum1> <sum2>\n" and close (with --hold,
 *       once FILE.release exists).
 *   ktls_bench client ADDRESS PORT (--seconds S | --bytes N) [--tls AEAD]
 *                     [--chunk BYTES] [--hold FILE]
 *       send for S seconds (or N bytes) in writes of BYTES (default
 *       131072, as iperf3), half-close, and compare the server's answer
 *       with what was sent. With --hold, once the results are printed,
 *       create FILE and keep the connection open until FILE.release
 *       exists: a script inspects the connection meanwhile, without
 *       disturbing the measurement (the server needs the same --hold, or
 *       its side closes).
 *
 * AEAD: aes128gcm, aes256gcm or chacha20poly1305; both ends set the TLS 1.3
 * record layer up with fixed keys (ktls_setup.c), so no handshake is
 * measured. Without --tls the program measures plain TCP, or whatever
 * protects the path underneath (tcpcrypt, WireGuard, ESP): the same program
 * for every method, so that their ratios compare like with like.
 *
 * The client prints one "key value" per line: result (ok or mismatch),
 * bytes, seconds (first write to the server's answer), mbit_s, cpu_user,
 * cpu_sys (this process), local, remote, tls. Exit status 0 only when the
 * server received exactly the bytes sent.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_net.h"
#include "ktls_setup.h"
#include "stream_sum.h"

#define DEFAULT_CHUNK	(128 * 1024)
#define MAX_CHUNK	(16 * 1024 * 1024)
#define REPLY_MAX	128
/* --hold: longest wait for the release file, and the polling period */
#define HOLD_MAX_S	300
#define HOLD_POLL_US	20000

struct opts {
	const char *tls;
	int cipher;		/* -1: no kTLS */
	double seconds;
	uint64_t bytes;
	size_t chunk;
	const char *hold;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: ktls_bench server ADDRESS PORT READY_FILE [--tls AEAD] [--hold FILE]\n"
		"       ktls_bench client ADDRESS PORT (--seconds S | --bytes N)\n"
		"                  [--tls AEAD] [--chunk BYTES] [--hold FILE]\n"
		"AEAD: aes128gcm, aes256gcm, chacha20poly1305\n");
	exit(2);
}

/*
 * --hold: announce the hold through the file (the client), then wait for
 * the release file (both ends)
 */
static int hold_connection(const char *path, bool announce)
{
	char release[4096];
	double deadline;
	FILE *f;

	if (snprintf(release, sizeof(release), "%s.release", path) >=
	    (int)sizeof(release)) {
		fprintf(stderr, "--hold path too long\n");
		return -1;
	}
	if (announce) {
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return -1;
		}
		fclose(f);
	}
	deadline = bench_now() + HOLD_MAX_S;
	while (access(release, F_OK)) {
		if (bench_now() > deadline) {
			fprintf(stderr, "%s did not appear\n", release);
			return -1;
		}
		usleep(HOLD_POLL_US);
	}
	return 0;
}

static int serve(const struct bench_addr *a, const char *ready,
		 const struct opts *o)
{
	char reply[REPLY_MAX], local[80], remote[80];
	struct stream_sum sum;
	double user, sys;
	uint64_t fin[2];
	int lfd, fd, rc = 1;
	char *buf;
	ssize_t n;

	buf = malloc(DEFAULT_CHUNK);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	lfd = bench_listen(a, ready);
	if (lfd < 0)
		goto out_free;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("accept");
		goto out_listen;
	}
	if (o->cipher >= 0 && ktls_setup(fd, o->cipher, KTLS_SERVER))
		goto out_conn;

	stream_sum_init(&sum);
	for (;;) {
		n = read(fd, buf, DEFAULT_CHUNK);
		if (n < 0) {
			perror("read");
			goto out_conn;
		}
		if (n == 0)
			break;
		stream_sum_update(&sum, buf, (size_t)n);
	}
	stream_sum_final(&sum, fin);
	snprintf(reply, sizeof(reply), "%" PRIu64 " %016" PRIx64 " %016" PRIx64 "\n",
		 sum.bytes, fin[0], fin[1]);
	bench_sock_ends(fd, local, remote, sizeof(local));
	if (bench_write_all(fd, reply, strlen(reply)))
		goto out_conn;

	bench_cpu_times(&user, &sys);
	printf("bytes %" PRIu64 "\ncpu_user %.3f\ncpu_sys %.3f\nlocal %s\nremote %s\n",
	       sum.bytes, user, sys, local, remote);
	fflush(stdout);
	if (o->hold && hold_connection(o->hold, false))
		goto out_conn;
	rc = 0;
out_conn:
	close(fd);
out_listen:
	close(lfd);
out_free:
	free(buf);
	return rc;
}

/* Pseudo-random contents (xorshift64), so nothing compresses or repeats */
static void fill_random(unsigned char *p, size_t len)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (unsigned char)x;
	}
}

static int send_stream(int fd, unsigned char *buf, const struct opts *o,
		       struct stream_sum *sum)
{
	double deadline = bench_now() + o->seconds;
	uint64_t index = 0;
	size_t len;

	for (;;) {
		len = o->chunk;
		if (o->bytes) {
			if (sum->bytes >= o->bytes)
				break;
			if (o->bytes - sum->bytes < len)
				len = (size_t)(o->bytes - sum->bytes);
		} else if (bench_now() >= deadline) {
			break;
		}
		/* each write differs from the previous one */
		memcpy(buf, &index, sizeof(index));
		index++;
		stream_sum_update(sum, buf, len);
		if (bench_write_all(fd, buf, len))
			return -1;
	}
	return 0;
}

static int run_client(const struct bench_addr *a, const struct opts *o)
{
	char reply[REPLY_MAX], want[REPLY_MAX], local[80], remote[80];
	double t0, t1, u0, s0, u1, s1;
	struct stream_sum sum;
	unsigned char *buf;
	uint64_t fin[2];
	int fd, rc = 1;
	ssize_t n;

	buf = malloc(o->chunk);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	fill_random(buf, o->chunk);
	fd = bench_connect(a, 0);
	if (fd < 0)
		goto out_free;
	if (o->cipher >= 0 && ktls_setup(fd, o->cipher, KTLS_CLIENT))
		goto out_close;
	/* now: once the server has closed, getpeername() fails */
	bench_sock_ends(fd, local, remote, sizeof(local));

	stream_sum_init(&sum);
	bench_cpu_times(&u0, &s0);
	t0 = bench_now();
	if (send_stream(fd, buf, o, &sum))
		goto out_close;
	if (shutdown(fd, SHUT_WR)) {
		perror("shutdown");
		goto out_close;
	}
	n = bench_read_line(fd, reply, sizeof(reply));
	t1 = bench_now();
	bench_cpu_times(&u1, &s1);
	if (n < 0)
		goto out_close;

	stream_sum_final(&sum, fin);
	snprintf(want, sizeof(want), "%" PRIu64 " %016" PRIx64 " %016" PRIx64 "\n",
		 sum.bytes, fin[0], fin[1]);
	rc = strcmp(reply, want) ? 1 : 0;
	printf("result %s\n", rc ? "mismatch" : "ok");
	if (rc)
		printf("sent %.*sreceived %s\n", (int)strlen(want), want,
		       n ? reply : "(nothing)\n");
	printf("bytes %" PRIu64 "\nseconds %.6f\nmbit_s %.1f\n", sum.bytes,
	       t1 - t0, (double)sum.bytes * 8 / (t1 - t0) / 1e6);
	printf("cpu_user %.3f\ncpu_sys %.3f\nlocal %s\nremote %s\ntls %s\n",
	       u1 - u0, s1 - s0, local, remote, o->tls ? o->tls : "none");
	fflush(stdout);
	if (o->hold && hold_connection(o->hold, true))
		rc = 1;
out_close:
	close(fd);
out_free:
	free(buf);
	return rc;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "tls", required_argument, NULL, 't' },
		{ "seconds", required_argument, NULL, 's' },
		{ "bytes", required_argument, NULL, 'n' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "hold", required_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	char *end;
	int c;

	o->tls = NULL;
	o->cipher = -1;
	o->seconds = 0;
	o->bytes = 0;
	o->chunk = DEFAULT_CHUNK;
	o->hold = NULL;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->tls = optarg;
			o->cipher = ktls_cipher_by_name(optarg);
			if (o->cipher < 0)
				usage();
			break;
		case 's':
			o->seconds = strtod(optarg, &end);
			if (*end || o->seconds <= 0)
				usage();
			break;
		case 'n':
			if (bench_parse_u64(optarg, &o->bytes) || !o->bytes)
				usage();
			break;
		case 'c':
			if (bench_parse_u64(optarg, &v) || v < 8 || v > MAX_CHUNK)
				usage();
			o->chunk = (size_t)v;
			break;
		case 'h':
			o->hold = optarg;
			break;
		default:
			usage();
		}
	}
}

int main(int argc, char **argv)
{
	struct bench_addr a;
	const char *mode;
	struct opts o;

	if (argc < 4)
		usage();
	mode = argv[1];
	if (bench_addr_parse(&a, argv[2], argv[3]))
		return 2;
	if (!strcmp(mode, "server")) {
		if (argc < 5)
			usage();
		parse_opts(argc - 4, argv + 4, &o);
		if (optind != argc - 4)
			usage();
		return serve(&a, argv[4], &o);
	}
	if (strcmp(mode, "client"))
		usage();
	parse_opts(argc - 3, argv + 3, &o);
	if (optind != argc - 3 || (o.seconds > 0) == (o.bytes > 0))
		usage();
	return run_client(&a, &o);
}
