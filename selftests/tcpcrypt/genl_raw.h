/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the tcpcrypt kselftests: build any request,
 * well-formed or not, send it, and collect the kernel's answer (errno,
 * extack message and cookie, first reply payload). No libnl on purpose:
 * libnl refuses to build most of the malformed requests the tests need.
 */
#ifndef GENL_RAW_H
#define GENL_RAW_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

#define GENL_RAW_BUFSZ 8192

struct genl_raw {
	int fd;
	uint32_t portid;
	uint32_t seq;
};

/* A request under construction */
struct genl_req {
	union {
		struct nlmsghdr nlh;
		unsigned char buf[GENL_RAW_BUFSZ];
	};
	size_t nest[4];
	int depth;
};

/* What came back for one request */
struct genl_answer {
	int error;			/* 0 or a negative errno */
	char extack[256];		/* NLMSGERR_ATTR_MSG, "" when none */
	unsigned char cookie[32];	/* NLMSGERR_ATTR_COOKIE */
	size_t cookie_len;
	unsigned char reply[GENL_RAW_BUFSZ]; /* first reply: genlmsghdr + attrs */
	size_t reply_len;
	int n_replies;
};

int genl_raw_open(struct genl_raw *s);
void genl_raw_close(struct genl_raw *s);
/* The id of the named family, or a negative errno (-ENOENT: not registered) */
int genl_raw_family(struct genl_raw *s, const char *name);

void genl_req_init(struct genl_req *r, uint16_t family, uint16_t flags,
		   uint8_t cmd);
void genl_req_put(struct genl_req *r, uint16_t type, const void *data,
		  size_t len);
void genl_req_put_u8(struct genl_req *r, uint16_t type, uint8_t v);
void genl_req_put_u16(struct genl_req *r, uint16_t type, uint16_t v);
void genl_req_put_u32(struct genl_req *r, uint16_t type, uint32_t v);
void genl_req_nest_start(struct genl_req *r, uint16_t type);
void genl_req_nest_end(struct genl_req *r);

/* Send @len bytes as they are and wait for the answer to sequence @seq */
int genl_raw_send(struct genl_raw *s, const void *buf, size_t len,
		  struct genl_answer *a);
/* Send a request built with genl_req_*(); returns a->error */
int genl_raw_request(struct genl_raw *s, struct genl_req *r,
		     struct genl_answer *a);

/* Attribute @type in a reply payload (after the genlmsghdr), or NULL */
const struct nlattr *genl_answer_attr(const struct genl_answer *a,
				      uint16_t type);
/* Attribute @type inside the nest @nest, or NULL */
const struct nlattr *genl_nest_attr(const struct nlattr *nest, uint16_t type);

#endif /* GENL_RAW_H */
