/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Hex helpers shared by the unit tests: vectors are written as hex strings
 * (spaces and '|' separators allowed) and compared byte for byte, with both
 * sides printed on a mismatch. Include after kselftest_harness.h.
 */
#ifndef _TCPC_TEST_HEXUTIL_H
#define _TCPC_TEST_HEXUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types.h"

/* Decode up to @max bytes of @hex into @out; aborts on a non-hex digit. */
static inline size_t unhex(const char *hex, u8 *out, size_t max)
{
	size_t n = 0;
	unsigned int byte;

	while (*hex && n < max) {
		if (*hex == ' ' || *hex == '|') {
			hex++;
			continue;
		}
		if (!hex[1] || sscanf(hex, "%2x", &byte) != 1)
			abort();
		out[n++] = byte;
		hex += 2;
	}
	return n;
}

/* Decode @s into @out (large enough); returns the length. */
static inline size_t hex(u8 *out, const char *s)
{
	return unhex(s, out, SIZE_MAX);
}

static inline void log_hex(const char *what, const u8 *buf, size_t len)
{
	size_t i;

	fprintf(stderr, "# %s: ", what);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%02x", buf[i]);
	fprintf(stderr, "\n");
}

static inline void assert_hex(struct __test_metadata *_metadata,
			      const char *what, const char *hexstr,
			      const u8 *buf, size_t len)
{
	u8 exp[512];
	size_t n = unhex(hexstr, exp, sizeof(exp));

	if (n != len || memcmp(exp, buf, n)) {
		TH_LOG("%s differs", what);
		log_hex("expected", exp, n);
		log_hex("computed", buf, len);
	}
	ASSERT_EQ(n, len);
	ASSERT_EQ(0, memcmp(exp, buf, n));
}

#define ASSERT_HEX(hexstr, buf, len) \
	assert_hex(_metadata, #buf, hexstr, buf, len)

#endif /* _TCPC_TEST_HEXUTIL_H */
