// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer tests run at every module load (they cost a few dozen
 * microseconds): the kernel HMAC plug, the protocol core's key schedule
 * running on it, the connection table's lifetime rules, the TCP header
 * edits of the ENO handshake (selftest_seg.c) and frame sealing
 * (selftest_frame.c). A module that would derive wrong keys refuses to
 * load.
 */
#include <linux/errno.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "conn.h"
#include "hmac_kernel.h"
#include "kdf.h"
#include "selftest.h"
#include "selftest_frame.h"

/* RFC 4231 test case 2 */
static const u8 rfc4231_tc2_mac[TCPC_HASH_LEN] __initconst = {
	0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
	0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
	0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
	0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
};

/* RFC 4231 test case 6: a key longer than the block size */
#define RFC4231_TC6_KEY_LEN 131
static const u8 rfc4231_tc6_mac[TCPC_HASH_LEN] __initconst = {
	0x60, 0xe4, 0x31, 0x59, 0x1e, 0xe0, 0xb6, 0x7f,
	0x0d, 0x8a, 0x26, 0xaa, 0xcb, 0xf5, 0xb7, 0x7f,
	0x8e, 0x0b, 0xc6, 0x21, 0x37, 0x28, 0xc5, 0x14,
	0x05, 0x46, 0x04, 0x0f, 0x0e, 0xe3, 0x7f, 0x54,
};

/*
 * The worked example of the spec digest (section 3): PRK, then ss[1] and
 * session_id[0] derived from it. The RFCs publish no vectors; these were
 * computed with an independent HKDF implementation.
 */
static const u8 kat_prk[TCPC_K_LEN] __initconst = {
	0x6f, 0xac, 0x04, 0x51, 0x89, 0x85, 0x8f, 0x2e,
	0xf5, 0xe8, 0x12, 0xb7, 0xc5, 0xe9, 0x79, 0x1b,
	0xc2, 0x7b, 0xbe, 0x94, 0xd1, 0x4f, 0xc1, 0x2f,
	0x10, 0x07, 0xb3, 0x75, 0x54, 0x79, 0x57, 0x85,
};

static const u8 kat_ss1[TCPC_K_LEN] __initconst = {
	0x39, 0x14, 0x3f, 0xba, 0x4a, 0x6f, 0x17, 0xd4,
	0x68, 0x43, 0xce, 0xb0, 0x5f, 0xd8, 0x1a, 0x7e,
	0xec, 0x82, 0xd7, 0xa0, 0x8e, 0xfe, 0x9e, 0x3b,
	0x40, 0x26, 0x94, 0x36, 0x18, 0x66, 0x3f, 0xaf,
};

#define KAT_TEP_BYTE 0x23
static const u8 kat_sessid0[TCPC_SESSID_LEN] __initconst = {
	0x23, 0x73, 0x77, 0xfe, 0xda, 0x4e, 0x07, 0xb7,
	0x6a, 0x24, 0x72, 0x4c, 0x18, 0x40, 0x92, 0x7c,
	0x1b, 0x48, 0x77, 0x0b, 0xc4, 0xe2, 0x20, 0x6f,
	0x2f, 0x17, 0xe5, 0x4f, 0x06, 0xf2, 0x21, 0xce,
	0x12,
};

/* One message given whole, then split with an empty fragment inside */
static bool __init hmac_kat(const char *name, const u8 *key,
			    size_t keylen, const char *msg, const u8 *expect)
{
	const struct tcpc_hmac *h = &tcpc_hmac_kernel;
	size_t len = strlen(msg);
	struct tcpc_frag whole = { (const u8 *)msg, len };
	struct tcpc_frag split[] = {
		{ (const u8 *)msg, 5 },
		{ (const u8 *)msg + 5, 0 },
		{ (const u8 *)msg + 5, len - 5 },
	};
	u8 out[TCPC_HASH_LEN];

	if (h->hmac_sha256(h->priv, key, keylen, &whole, 1, out) ||
	    memcmp(out, expect, sizeof(out))) {
		pr_err("self-test %s (one fragment) failed\n", name);
		return false;
	}
	memset(out, 0, sizeof(out));
	if (h->hmac_sha256(h->priv, key, keylen, split, ARRAY_SIZE(split),
			   out) ||
	    memcmp(out, expect, sizeof(out))) {
		pr_err("self-test %s (three fragments) failed\n", name);
		return false;
	}
	return true;
}

static bool __init selftest_hmac(void)
{
	static const char tc2_key[] = "Jefe";
	u8 tc6_key[RFC4231_TC6_KEY_LEN];

	memset(tc6_key, 0xaa, sizeof(tc6_key));
	return hmac_kat("HMAC-SHA256 RFC 4231 case 2", tc2_key,
			strlen(tc2_key), "what do ya want for nothing?",
			rfc4231_tc2_mac) &&
	       hmac_kat("HMAC-SHA256 RFC 4231 case 6", tc6_key,
			sizeof(tc6_key),
			"Test Using Larger Than Block-Size Key - Hash Key First",
			rfc4231_tc6_mac);
}

static bool __init selftest_kdf(void)
{
	u8 out[TCPC_SESSID_LEN];

	if (tcpc_kdf_next_ss(&tcpc_hmac_kernel, kat_prk, out) ||
	    memcmp(out, kat_ss1, sizeof(kat_ss1))) {
		pr_err("self-test key schedule ss[1] = CPRF(PRK, 0x01, 32) failed\n");
		return false;
	}
	if (tcpc_kdf_session_id(&tcpc_hmac_kernel, kat_prk, KAT_TEP_BYTE,
				NULL, out) ||
	    memcmp(out, kat_sessid0, sizeof(kat_sessid0))) {
		pr_err("self-test key schedule session_id[0] failed\n");
		return false;
	}
	return true;
}

/* Records what a walk visits; refuses one entry once, as a full skb would */
struct walk_probe {
	struct tcpc_conn *seen[4];
	unsigned int nseen;
	unsigned int refuse_at;
};

static int __init walk_probe_fill(struct tcpc_conn *conn, void *arg)
{
	struct walk_probe *p = arg;

	if (p->nseen == p->refuse_at) {
		p->refuse_at = UINT_MAX;
		return -EMSGSIZE;
	}
	if (p->nseen == ARRAY_SIZE(p->seen))
		return -E2BIG;
	p->seen[p->nseen++] = conn;
	return 0;
}

/* A dump interrupted after one entry resumes with the other one */
static bool __init conn_walk_resumes(struct tcpc_conn_table *table)
{
	struct walk_probe probe = { .refuse_at = 1 };
	struct rhashtable_iter *iter;
	bool ok;

	iter = tcpc_conn_walk_enter(table);
	if (!iter)
		return false;
	ok = tcpc_conn_walk(iter, walk_probe_fill, &probe) == -EMSGSIZE &&
	     probe.nseen == 1 &&
	     tcpc_conn_walk(iter, walk_probe_fill, &probe) == 0 &&
	     probe.nseen == 2 && probe.seen[0] != probe.seen[1];
	tcpc_conn_walk_exit(iter);
	return ok;
}

/* ...and by id: every entry has its own, never 0 */
static bool __init conn_lookup_id_is(struct tcpc_conn_table *table, u64 id,
				     const struct tcpc_conn *expect)
{
	struct tcpc_conn *found = tcpc_conn_lookup_id(table, id);

	tcpc_conn_put(found);
	return found == expect;
}

/* Lookup must find exactly what was inserted, by family and full 4-tuple */
static bool __init conn_lookup_is(struct tcpc_conn_table *table,
				  const struct tcpc_conn_key *key,
				  const struct tcpc_conn *expect)
{
	struct tcpc_conn *found = tcpc_conn_lookup(table, key);

	tcpc_conn_put(found);
	return found == expect;
}

static bool __init conn_table_checks(struct tcpc_conn_table *table,
				     struct tcpc_conn *v4, struct tcpc_conn *v6,
				     struct tcpc_conn *dup)
{
	struct tcpc_conn_key other_port = v4->key;

	other_port.rport = htons(81);
	return !tcpc_conn_insert(table, v4) &&
	       !tcpc_conn_insert(table, v6) &&
	       tcpc_conn_insert(table, dup) == -EEXIST &&
	       atomic_read(&table->count) == 2 &&
	       v4->id && v6->id && v4->id != v6->id &&
	       conn_lookup_is(table, &v4->key, v4) &&
	       conn_lookup_is(table, &v6->key, v6) &&
	       conn_lookup_is(table, &other_port, NULL) &&
	       conn_lookup_id_is(table, v4->id, v4) &&
	       conn_lookup_id_is(table, v6->id, v6) &&
	       conn_lookup_id_is(table, v6->id + 1, NULL) &&
	       conn_walk_resumes(table) &&
	       tcpc_conn_remove(table, v4) &&
	       !tcpc_conn_remove(table, v4) &&
	       atomic_read(&table->count) == 1 &&
	       conn_lookup_is(table, &v4->key, NULL) &&
	       conn_lookup_id_is(table, v4->id, NULL) &&
	       conn_lookup_is(table, &v6->key, v6) &&
	       refcount_read(&v4->refcnt) == 1 &&
	       refcount_read(&v6->refcnt) == 2 &&
	       refcount_read(&dup->refcnt) == 1;
}

static bool __init selftest_conn_table(void)
{
	const __be32 a = htonl(0x0a000001), b = htonl(0x0a000002);
	struct in6_addr a6 = {}, b6 = {};
	struct tcpc_conn *v4, *v6, *dup;
	struct tcpc_conn_table table;
	struct tcpc_conn_key key;
	bool ok = false;

	if (tcpc_conn_table_init(&table))
		return false;

	/* Same address bytes in both families: only the family differs */
	a6.s6_addr32[0] = a;
	b6.s6_addr32[0] = b;
	tcpc_conn_key_v4(&key, a, htons(40000), b, htons(80));
	v4 = tcpc_conn_alloc(&key, GFP_KERNEL);
	dup = tcpc_conn_alloc(&key, GFP_KERNEL);
	tcpc_conn_key_v6(&key, &a6, htons(40000), &b6, htons(80));
	v6 = tcpc_conn_alloc(&key, GFP_KERNEL);

	if (v4 && v6 && dup)
		ok = conn_table_checks(&table, v4, v6, dup);
	if (!ok)
		pr_err("self-test connection table failed\n");

	/* The table's references go first, then ours */
	tcpc_conn_table_destroy(&table);
	tcpc_conn_put(v4);
	tcpc_conn_put(v6);
	tcpc_conn_put(dup);
	/* The last puts queued the frees, which queue call_rcu() */
	flush_workqueue(tcpc_wq);
	rcu_barrier();
	return ok;
}

int __init tcpc_selftest_run(void)
{
	if (!selftest_hmac() || !selftest_kdf() || !selftest_conn_table() ||
	    tcpc_seg_selftest() || tcpc_frame_crypto_selftest())
		return -ENOTRECOVERABLE;
	return 0;
}
