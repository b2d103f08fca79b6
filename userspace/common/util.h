/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Small helpers shared by every userspace program and by libtcpcrypt:
 * array sizes, big-endian loads and stores, and hex formatting.
 */
#ifndef TC_UTIL_H
#define TC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Version of the userspace tools; the module reports its own over netlink */
#define TC_TOOLS_VERSION "0.1.0"

static inline uint16_t tc_get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t tc_get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static inline void tc_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void tc_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/*
 * Write len bytes as 2 * len hex digits plus a NUL into out, which must
 * hold 2 * len + 1 bytes. Returns out.
 */
char *tc_hex(const uint8_t *in, size_t len, char *out, bool upper);

/* Parse a decimal or 0x-prefixed unsigned number no larger than max. */
int tc_parse_uint(const char *s, unsigned long max, unsigned long *out);

#endif /* TC_UTIL_H */
