/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The protocol core (kmod/proto) is pure C: it is compiled into tcpcrypt.ko
 * and into the host unit tests and fuzzers. This header is its only window
 * on the environment, so that no file under kmod/proto includes a kernel
 * or libc header directly.
 */
#ifndef _TCPC_PROTO_TYPES_H
#define _TCPC_PROTO_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Wipe secrets in a way the compiler may not elide (as memzero_explicit) */
static inline void memzero_explicit(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
#endif

static inline u16 tcpc_get_be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static inline u32 tcpc_get_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

static inline void tcpc_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void tcpc_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static inline void tcpc_put_be64(u8 *p, u64 v)
{
	tcpc_put_be32(p, (u32)(v >> 32));
	tcpc_put_be32(p + 4, (u32)v);
}

#endif /* _TCPC_PROTO_TYPES_H */
