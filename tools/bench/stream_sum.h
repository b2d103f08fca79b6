/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checksum ktls_bench's receiver computes over the whole stream and
 * compares with the sender's: a Fletcher-style pair of 64-bit sums over
 * little-endian 64-bit words (s1 = sum of words, s2 = sum of the running
 * s1), so a lost, duplicated, altered or reordered word changes it. Two
 * additions per 8 bytes: cheap next to the network stack, and the same
 * cost for every method measured.
 */
#ifndef BENCH_STREAM_SUM_H
#define BENCH_STREAM_SUM_H

#include <stddef.h>
#include <stdint.h>

struct stream_sum {
	uint64_t s1, s2;
	uint64_t bytes;
	/* a word split across two reads */
	unsigned char part[8];
	unsigned int npart;
};

void stream_sum_init(struct stream_sum *s);
void stream_sum_update(struct stream_sum *s, const void *buf, size_t len);
/* The final value, the partial last word padded with zeros */
void stream_sum_final(const struct stream_sum *s, uint64_t out[2]);

#endif /* BENCH_STREAM_SUM_H */
