/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket and clock helpers shared by the benchmark programs (ktls_bench,
 * conn_bench): IPv4/IPv6 addresses given as text, a listening socket that
 * announces itself through a "ready" file, exact reads and writes.
 */
#ifndef BENCH_NET_H
#define BENCH_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Seconds a socket call may block (accept, read, write) before failing */
#define BENCH_IO_TIMEOUT	60

struct bench_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* Parse ADDRESS (IPv4 or IPv6 literal) and PORT; 0 or -1 (message printed) */
int bench_addr_parse(struct bench_addr *a, const char *host, const char *port);

/* "address:port" ("[v6]:port") of a socket's local or peer end */
void bench_addr_format(const struct sockaddr_storage *ss, char *buf,
		       size_t len);
void bench_sock_ends(int fd, char *local, char *remote, size_t len);

/*
 * A socket listening on a, then the file ready created (when not NULL) so
 * that a script can start the client. Returns the fd or -1. This socket,
 * those it accepts and those of bench_connect() fail a call that blocks
 * for BENCH_IO_TIMEOUT.
 */
int bench_listen(const struct bench_addr *a, const char *ready);

/* A connected socket (TCP_NODELAY when nodelay), or -1 */
int bench_connect(const struct bench_addr *a, int nodelay);

/* All len bytes, retrying after short writes and EINTR; 0 or -1 */
int bench_write_all(int fd, const void *buf, size_t len);

/* Up to len bytes until EOF; the count read, or -1 */
ssize_t bench_read_full(int fd, void *buf, size_t len);

/*
 * A line: reads until a newline arrived, EOF, or len - 1 bytes; the
 * result is NUL-terminated. The peer must send nothing after the line.
 * The count read, or -1.
 */
ssize_t bench_read_line(int fd, char *buf, size_t len);

/* CLOCK_MONOTONIC in seconds */
double bench_now(void);

/* This process's user and system CPU time in seconds */
void bench_cpu_times(double *user, double *sys);

/* Parse a non-negative decimal integer; 0 or -1 */
int bench_parse_u64(const char *s, uint64_t *out);

#endif /* BENCH_NET_H */
