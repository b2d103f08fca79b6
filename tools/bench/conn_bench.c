// SPDX-License-Identifier: GPL-2.0
/*
 * conn_bench: short connections, one after another, each a complete
 * request/response exchange: the cost of setting a connection up (for
 * tcpcrypt: the TCP-ENO negotiation and the key exchange round trip before
 * the first byte can be delivered).
 *
 *   conn_bench server ADDRESS PORT READY_FILE --count N [--size BYTES]
 *       serve N connections: read BYTES, send them back, close.
 *   conn_bench client ADDRESS PORT --count N [--size BYTES]
 *       N times: connect, send BYTES (default 64), read the echo to EOF,
 *       check it, close. Latency: from connect() to the server's FIN.
 *
 * The client prints one "key value" per line: result, count, seconds,
 * conn_s (connections per second), lat_min_us, lat_median_us, lat_p90_us,
 * lat_max_us. Exit status 0 only when every echo was intact.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_net.h"

#define DEFAULT_SIZE	64
#define MAX_SIZE	(1024 * 1024)
#define MAX_COUNT	100000

struct opts {
	uint64_t count;
	size_t size;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: conn_bench server ADDRESS PORT READY_FILE --count N [--size BYTES]\n"
		"       conn_bench client ADDRESS PORT --count N [--size BYTES]\n");
	exit(2);
}

static int serve(const struct bench_addr *a, const char *ready,
		 const struct opts *o)
{
	int lfd, fd, rc = 1;
	uint64_t i;
	ssize_t n;
	char *buf;

	buf = malloc(o->size);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	lfd = bench_listen(a, ready);
	if (lfd < 0)
		goto out_free;
	for (i = 0; i < o->count; i++) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			perror("accept");
			goto out_listen;
		}
		n = bench_read_full(fd, buf, o->size);
		if (n != (ssize_t)o->size) {
			fprintf(stderr, "connection %" PRIu64 ": %zd of %zu bytes\n",
				i, n, o->size);
			close(fd);
			goto out_listen;
		}
		if (bench_write_all(fd, buf, o->size)) {
			close(fd);
			goto out_listen;
		}
		/* the server closes first: TIME_WAIT stays here, and the
		 * client's ephemeral ports are not used up
		 */
		close(fd);
	}
	rc = 0;
out_listen:
	close(lfd);
out_free:
	free(buf);
	return rc;
}

/* One exchange; its latency in seconds, or a negative value on failure */
static double one_conn(const struct bench_addr *a, uint64_t i, char *req,
		       char *resp, size_t size)
{
	double t0, t1;
	ssize_t n;
	int fd;

	memset(req, (int)('a' + i % 26), size);
	memcpy(req, &i, size < sizeof(i) ? size : sizeof(i));
	t0 = bench_now();
	fd = bench_connect(a, 1);
	if (fd < 0)
		return -1;
	if (bench_write_all(fd, req, size))
		goto err_close;
	/* one byte more than expected: the echo must be followed by EOF */
	n = bench_read_full(fd, resp, size + 1);
	t1 = bench_now();
	if (n != (ssize_t)size || memcmp(req, resp, size)) {
		fprintf(stderr, "connection %" PRIu64 ": bad echo (%zd bytes)\n",
			i, n);
		goto err_close;
	}
	close(fd);
	return t1 - t0;

err_close:
	close(fd);
	return -1;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static int run_client(const struct bench_addr *a, const struct opts *o)
{
	double *lat, t0, t1;
	char *req, *resp;
	int rc = 1;
	uint64_t i;

	lat = calloc(o->count, sizeof(*lat));
	req = malloc(o->size);
	resp = malloc(o->size + 1);
	if (!lat || !req || !resp) {
		perror("malloc");
		goto out_free;
	}
	t0 = bench_now();
	for (i = 0; i < o->count; i++) {
		lat[i] = one_conn(a, i, req, resp, o->size);
		if (lat[i] < 0) {
			printf("result error\nfailed_at %" PRIu64 "\n", i);
			goto out_free;
		}
	}
	t1 = bench_now();
	qsort(lat, o->count, sizeof(*lat), cmp_double);
	printf("result ok\ncount %" PRIu64 "\nseconds %.6f\nconn_s %.1f\n",
	       o->count, t1 - t0, (double)o->count / (t1 - t0));
	printf("lat_min_us %.0f\nlat_median_us %.0f\nlat_p90_us %.0f\nlat_max_us %.0f\n",
	       lat[0] * 1e6, lat[o->count / 2] * 1e6,
	       lat[o->count * 9 / 10] * 1e6, lat[o->count - 1] * 1e6);
	rc = 0;
out_free:
	free(resp);
	free(req);
	free(lat);
	return rc;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	o->count = 0;
	o->size = DEFAULT_SIZE;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (bench_parse_u64(optarg, &o->count) || !o->count ||
			    o->count > MAX_COUNT)
				usage();
			break;
		case 's':
			if (bench_parse_u64(optarg, &v) || !v || v > MAX_SIZE)
				usage();
			o->size = (size_t)v;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !o->count)
		usage();
}

int main(int argc, char **argv)
{
	struct bench_addr a;
	struct opts o;

	if (argc < 4)
		usage();
	if (bench_addr_parse(&a, argv[2], argv[3]))
		return 2;
	if (!strcmp(argv[1], "server")) {
		if (argc < 5)
			usage();
		parse_opts(argc - 4, argv + 4, &o);
		return serve(&a, argv[4], &o);
	}
	if (strcmp(argv[1], "client"))
		usage();
	parse_opts(argc - 3, argv + 3, &o);
	return run_client(&a, &o);
}
