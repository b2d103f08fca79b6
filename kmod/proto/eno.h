/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * TCP-ENO (RFC 8547): the TCP option that negotiates tcpcrypt. This codec
 * parses and builds the option, scans a TCP options area for it, decides
 * the A/B roles and the negotiated TEP, and copies the negotiation
 * transcript. It never sees an skb: callers hand it the option bytes.
 *
 * SYN-form option:  45 len [suboption...]
 *   00-1f  global suboption  000 z1 z2 z3 a b
 *   20-7f  TEP id, no data
 *   80-9f  length byte 100nnnnn: the next suboption (a0-ff) has nnnnn+1
 *          data bytes
 *   a0-ff  TEP id with v = 1; without a length byte before it, its data
 *          runs to the end of the option
 * Non-SYN-form option: only its presence counts; we send 45 02.
 */
#ifndef _TCPC_PROTO_ENO_H
#define _TCPC_PROTO_ENO_H

#include "types.h"

#define TCPC_ENO_KIND		69
/* Pre-RFC experimental encoding (RFC 6994 kind 253, ExID 0x454E) */
#define TCPC_ENO_LEGACY_KIND	253
#define TCPC_ENO_LEGACY_EXID	0x454e

/* The whole TCP option space; also the largest ENO option we accept */
#define TCPC_TCP_OPTSPACE	40
/* Each suboption takes at least one of the 38 content bytes */
#define TCPC_ENO_MAX_SUBOPTS	(TCPC_TCP_OPTSPACE - 2)
/* Longest data a length byte can announce */
#define TCPC_ENO_LENBYTE_MAX	32
/* A transcript is two SYN-form options */
#define TCPC_ENO_TRANSCRIPT_MAX	(2 * TCPC_TCP_OPTSPACE)

#define TCPC_ENO_GOPT_B		0x01	/* passive-role bit */
#define TCPC_ENO_GOPT_A		0x02	/* application-aware bit */
#define TCPC_ENO_GOPT_MAX	0x1f
/* tcpc_eno_build_syn(): send no global suboption (implicit 0x00) */
#define TCPC_ENO_GOPT_IMPLICIT	(-1)

#define TCPC_ENO_TEP_MIN	0x20
#define TCPC_ENO_TEP_MAX	0x7f
#define TCPC_ENO_V		0x80

/*
 * A v = 1 suboption of a tcpcrypt TEP needs a 9-byte resumption identifier
 * half; with fewer data bytes it counts as a fresh offer (RFC 8548 3.2).
 */
#define TCPC_ENO_RESUME_MIN_DATA	9

/* One TEP suboption of a parsed option; its data is at raw + off. */
struct tcpc_eno_tep {
	u8 id;		/* 0x20..0x7f */
	u8 v;		/* 1 when the suboption has the v bit */
	u8 off;		/* offset of the data from the kind byte */
	u8 len;		/* data bytes */
};

/* A parsed SYN-form option. Points into the caller's bytes. */
struct tcpc_eno_syn {
	const u8 *raw;		/* the option, from its kind byte */
	u8 raw_len;		/* its length byte */
	u8 gopt;		/* first global suboption, 0x00 when implicit */
	bool gopt_explicit;
	u8 nteps;
	struct tcpc_eno_tep teps[TCPC_ENO_MAX_SUBOPTS];
};

/* A suboption with its data pointer: input of the builder and policy. */
struct tcpc_eno_sub {
	const u8 *data;
	u8 id;
	u8 v;
	u8 len;
};

/* What tcpc_eno_scan() found in a TCP options area */
struct tcpc_eno_scan {
	const u8 *eno;		/* first ENO option (kind byte), or NULL */
	u8 eno_len;		/* its length byte */
	unsigned int count;	/* ENO options in the area */
	bool legacy;		/* a kind 253 / ExID 0x454E option too */
};

int tcpc_eno_scan(const u8 *opts, size_t len, struct tcpc_eno_scan *sc);

/*
 * The SYN-form option of a SYN segment: a SYN with more than one ENO
 * option counts as having none (RFC 8547 4.1), so this is NULL then.
 */
static inline const u8 *tcpc_eno_syn_option(const struct tcpc_eno_scan *sc)
{
	return sc->count == 1 ? sc->eno : NULL;
}

int tcpc_eno_parse_syn(const u8 *opt, size_t avail, struct tcpc_eno_syn *syn);

static inline bool tcpc_eno_b(const struct tcpc_eno_syn *syn)
{
	return syn->gopt & TCPC_ENO_GOPT_B;
}

static inline bool tcpc_eno_a(const struct tcpc_eno_syn *syn)
{
	return syn->gopt & TCPC_ENO_GOPT_A;
}

static inline const u8 *tcpc_eno_tep_data(const struct tcpc_eno_syn *syn,
					  const struct tcpc_eno_tep *tep)
{
	return syn->raw + tep->off;
}

int tcpc_eno_build_syn(u8 *buf, size_t cap, int gopt,
		       const struct tcpc_eno_sub *subs, unsigned int nsubs);
int tcpc_eno_build_ack(u8 *buf, size_t cap);

/* How the local side opened the connection */
enum tcpc_eno_open {
	TCPC_ENO_ACTIVE,	/* sent a SYN-only, received a SYN-ACK */
	TCPC_ENO_PASSIVE,	/* received a SYN-only, answers a SYN-ACK */
	TCPC_ENO_SIMULTANEOUS,	/* sent and received a SYN-only */
};

enum tcpc_eno_verdict {
	TCPC_ENO_OK,
	TCPC_ENO_FAIL_SAME_B,		/* both b = 0 or both b = 1 */
	TCPC_ENO_FAIL_PASSIVE_B,	/* the passive opener has b = 0 */
	TCPC_ENO_FAIL_AA_MANDATORY,	/* we require a = 1, the peer has 0 */
	TCPC_ENO_FAIL_VACUOUS,		/* an option without TEP suboptions */
	TCPC_ENO_FAIL_NO_TEP,		/* no valid TEP in common */
};

struct tcpc_eno_policy {
	/* Mandatory application-aware mode (RFC 8547 4.2) */
	bool aa_mandatory;
	/*
	 * Optional check of a TEP both options carry (its data, resumption
	 * identifiers...). @a and @b are A's and B's suboptions for the same
	 * id; their v is already cleared when the data is too short.
	 */
	bool (*tep_valid)(void *priv, const struct tcpc_eno_sub *a,
			  const struct tcpc_eno_sub *b);
	void *priv;
};

struct tcpc_eno_result {
	enum tcpc_eno_verdict verdict;
	bool local_is_b;	/* our role, unless the b bits failed */
	bool peer_a;		/* the peer's application-aware bit */
	u8 tep;			/* negotiated TEP id */
	u8 sessid_tep;		/* session ID byte 0: TEP | v as B sent it */
	bool resume;		/* B sent the TEP as a resumption offer */
	struct tcpc_eno_sub a_sub;	/* A's suboption for tep */
	struct tcpc_eno_sub b_sub;	/* B's suboption for tep */
};

enum tcpc_eno_verdict tcpc_eno_negotiate(const struct tcpc_eno_syn *local,
					 const struct tcpc_eno_syn *remote,
					 enum tcpc_eno_open open,
					 const struct tcpc_eno_policy *pol,
					 struct tcpc_eno_result *res);

int tcpc_eno_transcript(u8 *buf, size_t cap, const struct tcpc_eno_syn *a,
			const struct tcpc_eno_syn *b);

#endif /* _TCPC_PROTO_ENO_H */
