// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Rekeying (RFC 8548 section 3.8): the mk chain and each generation's
 * traffic keys against HMAC-SHA256 computed directly with OpenSSL, and
 * the generation bookkeeping of kmod/proto/rekey.c, step by step and in
 * randomized conversations between two hosts whose frames must always
 * be opened under the generation that sealed them.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "aead_desc.h"
#include "hmac_openssl.h"
#include "kdf.h"
#include "rekey.h"

static const struct tcpc_hmac *hm = &tcpc_hmac_openssl;

/* HMAC-SHA256(key, msg), straight from OpenSSL */
static void ossl_hmac(const u8 key[32], const u8 *msg, size_t len,
		      u8 out[32])
{
	unsigned int olen = 0;

	HMAC(EVP_sha256(), key, 32, msg, len, out, &olen);
	if (olen != 32)
		abort();
}

/*
 * mk[j+1] = HKDF-Expand(mk[j], 0x03, 32) = HMAC(mk[j], 0x03 | 0x01), and
 * k_ab[j] / k_ba[j] = HKDF-Expand(mk[j], 0x04 / 0x05, key + 12 bytes): the
 * first block HMAC(mk, c | 0x01), the second HMAC(mk, T1 | c | 0x02).
 */
static void ossl_traffic_key(const u8 mk[32], u8 c, size_t len, u8 *out)
{
	u8 t1[32], t2[32], msg[34];

	msg[0] = c;
	msg[1] = 1;
	ossl_hmac(mk, msg, 2, t1);
	memcpy(msg, t1, 32);
	msg[32] = c;
	msg[33] = 2;
	ossl_hmac(mk, msg, 34, t2);
	memcpy(out, t1, len < 32 ? len : 32);
	if (len > 32)
		memcpy(out + 32, t2, len - 32);
}

TEST(mk_chain_and_traffic_keys_match_openssl_hmac)
{
	static const u16 aeads[] = {
		TCPC_AEAD_AES_128_GCM, TCPC_AEAD_AES_256_GCM,
		TCPC_AEAD_CHACHA20_POLY1305,
	};
	u8 mk[32], want[32], msg[2] = { 0x03, 0x01 }, tkw[44];
	struct tcpc_traffic_key tk;
	unsigned int j, a, i;

	for (i = 0; i < 32; i++)
		mk[i] = (u8)(i * 37 + 11);
	for (j = 0; j < 12; j++) {
		for (a = 0; a < ARRAY_SIZE(aeads); a++) {
			const struct tcpc_aead_desc *d = tcpc_aead_find(aeads[a]);
			size_t len = d->key_len + d->nonce_len;

			ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk, TCPC_KEY_AB,
							  d, &tk));
			ossl_traffic_key(mk, 0x04, len, tkw);
			EXPECT_EQ(0, memcmp(tk.key, tkw, d->key_len));
			EXPECT_EQ(0, memcmp(tk.nr, tkw + d->key_len, 12));
			ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk, TCPC_KEY_BA,
							  d, &tk));
			ossl_traffic_key(mk, 0x05, len, tkw);
			EXPECT_EQ(0, memcmp(tk.key, tkw, d->key_len));
			EXPECT_EQ(0, memcmp(tk.nr, tkw + d->key_len, 12));
		}
		ossl_hmac(mk, msg, sizeof(msg), want);
		/* in place, as the kernel's rekey work item derives it */
		ASSERT_EQ(0, tcpc_kdf_next_mk(hm, mk, mk));
		ASSERT_EQ(0, memcmp(mk, want, 32));
	}
}

static void check_invariants(struct __test_metadata *_metadata,
			     const struct tcpc_rekey *rk)
{
	if (!rk->peer_done)
		ASSERT_LE(rk->oldest, rk->remote);
	ASSERT_LE(rk->oldest, rk->local);
	ASSERT_LE(rk->remote, rk->local);
	ASSERT_LE(rk->local, rk->ready);
	ASSERT_LE(rk->ready, rk->local + TCPC_REKEY_AHEAD);
	ASSERT_LT(rk->ready - rk->oldest, TCPC_REKEY_GENS);
}

TEST(prepare_one_generation_ahead)
{
	struct tcpc_rekey rk;
	u32 gen;

	tcpc_rekey_init(&rk);
	ASSERT_TRUE(tcpc_rekey_want(&rk, &gen));
	ASSERT_EQ(1, gen);
	ASSERT_EQ(-EINVAL, tcpc_rekey_prepared(&rk, 2));
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 1));
	/* nothing further until generation 1 is in use */
	ASSERT_FALSE(tcpc_rekey_want(&rk, &gen));
	ASSERT_EQ(-EINVAL, tcpc_rekey_prepared(&rk, 2));
	ASSERT_TRUE(tcpc_rekey_needed(&rk, 0));
	ASSERT_TRUE(tcpc_rekey_needed(&rk, 1));
	ASSERT_FALSE(tcpc_rekey_needed(&rk, 2));
	check_invariants(_metadata, &rk);
}

TEST(initiate_after_limit_then_wait_for_answer)
{
	struct tcpc_rekey rk;
	u32 gen;

	tcpc_rekey_init(&rk);
	tcpc_rekey_tx_sealed(&rk, 1000, false);
	/* the limit is reached but generation 1 is not ready */
	ASSERT_FALSE(tcpc_rekey_tx_gen(&rk, 1000, 0, &gen));
	ASSERT_EQ(0, gen);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 1));
	/* limit 0: never */
	ASSERT_FALSE(tcpc_rekey_tx_gen(&rk, 0, 0, &gen));
	ASSERT_FALSE(tcpc_rekey_tx_gen(&rk, 1001, 0, &gen));
	ASSERT_TRUE(tcpc_rekey_tx_gen(&rk, 1000, 0, &gen));
	ASSERT_EQ(1, gen);
	ASSERT_EQ(0, rk.sealed);
	tcpc_rekey_tx_sealed(&rk, 1000, true);
	ASSERT_EQ(1, rk.rekeys_sent);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 2));
	/* no second rekey while the peer has not answered (remote < local) */
	ASSERT_FALSE(tcpc_rekey_tx_gen(&rk, 1000, 1, &gen));
	ASSERT_EQ(1, gen);
	/* the peer's answer: its frame is under generation 1, nothing owed */
	ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, true, 1, false, &gen));
	ASSERT_EQ(1, gen);
	ASSERT_FALSE(tcpc_rekey_rx_commit(&rk, true, 500));
	ASSERT_EQ(1, rk.remote);
	ASSERT_EQ(1, rk.local);
	ASSERT_TRUE(tcpc_rekey_tx_gen(&rk, 1000, 1, &gen));
	ASSERT_EQ(2, gen);
	check_invariants(_metadata, &rk);
}

/* A keep-alive probe starts a generation whatever was sealed */
TEST(start_now_for_a_keepalive)
{
	struct tcpc_rekey rk;
	u32 gen;

	tcpc_rekey_init(&rk);
	/* generation 1 not ready yet: it may start once it is */
	ASSERT_EQ(-EAGAIN, tcpc_rekey_start(&rk, 0));
	ASSERT_EQ(0, rk.local);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 1));
	/* our newest frame is not of the current generation: not now */
	ASSERT_EQ(-EBUSY, tcpc_rekey_start(&rk, 1));
	tcpc_rekey_tx_sealed(&rk, 10, false);
	ASSERT_EQ(0, tcpc_rekey_start(&rk, 0));
	ASSERT_EQ(1, rk.local);
	ASSERT_EQ(0, rk.sealed);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 2));
	/* not again before the peer answered, set ready or not */
	ASSERT_EQ(-EBUSY, tcpc_rekey_start(&rk, 1));
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 3));
	ASSERT_EQ(-EBUSY, tcpc_rekey_start(&rk, 1));
	ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, true, 1, false, &gen));
	ASSERT_FALSE(tcpc_rekey_rx_commit(&rk, true, 100));
	ASSERT_EQ(0, tcpc_rekey_start(&rk, 1));
	ASSERT_EQ(2, rk.local);
	check_invariants(_metadata, &rk);
}

/* The peer finished: our rekeys go on without its answers */
TEST(start_now_after_peer_done)
{
	struct tcpc_rekey rk;

	tcpc_rekey_init(&rk);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 1));
	ASSERT_EQ(0, tcpc_rekey_start(&rk, 0));
	tcpc_rekey_peer_done(&rk);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 2));
	ASSERT_EQ(0, tcpc_rekey_start(&rk, 1));
	ASSERT_EQ(2, rk.local);
	ASSERT_EQ(2, rk.oldest);
	check_invariants(_metadata, &rk);
}

TEST(peer_rekey_is_followed_and_owed)
{
	struct tcpc_rekey rk;
	u32 gen;

	tcpc_rekey_init(&rk);
	/* a rekey frame before its keys exist waits */
	ASSERT_EQ(-EAGAIN, tcpc_rekey_rx_gen(&rk, true, 0, false, &gen));
	ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, false, 0, false, &gen));
	ASSERT_EQ(0, gen);
	ASSERT_FALSE(tcpc_rekey_rx_commit(&rk, false, 100));
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 1));
	ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, true, 0, false, &gen));
	ASSERT_EQ(1, gen);
	ASSERT_TRUE(tcpc_rekey_rx_commit(&rk, true, 200));
	ASSERT_EQ(1, rk.local);
	ASSERT_EQ(1, rk.remote);
	ASSERT_EQ(1, rk.rekeys_rcvd);
	/* the owed frame is the next one sealed, under generation 1 */
	ASSERT_FALSE(tcpc_rekey_tx_gen(&rk, 0, 0, &gen));
	ASSERT_EQ(1, gen);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 2));
	/* another rekey of the peer while ours is still unsent waits... */
	ASSERT_EQ(-EAGAIN, tcpc_rekey_rx_gen(&rk, true, 0, false, &gen));
	/* ...unless our FIN is out: then nothing is owed any more */
	ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, true, 0, true, &gen));
	ASSERT_EQ(2, gen);
	/* once our rekey frame is out, it is taken */
	ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, true, 1, false, &gen));
	ASSERT_EQ(2, gen);
	check_invariants(_metadata, &rk);
}

TEST(old_generations_retire_when_accepted)
{
	struct tcpc_rekey rk;
	u32 gen, g;

	tcpc_rekey_init(&rk);
	for (g = 1; g < TCPC_REKEY_GENS; g++) {
		ASSERT_EQ(0, tcpc_rekey_prepared(&rk, g));
		ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, true, g - 1, false, &gen));
		ASSERT_EQ(g, gen);
		ASSERT_TRUE(tcpc_rekey_rx_commit(&rk, true, 1000 * g));
		check_invariants(_metadata, &rk);
	}
	/* every slot in use: no room for the next before 0 retires */
	ASSERT_FALSE(tcpc_rekey_want(&rk, &gen));
	ASSERT_EQ(0, tcpc_rekey_gen_at(&rk, 999));
	ASSERT_EQ(1, tcpc_rekey_gen_at(&rk, 1000));
	ASSERT_EQ(2, tcpc_rekey_gen_at(&rk, 2999));
	ASSERT_EQ(3, tcpc_rekey_gen_at(&rk, 3000));
	ASSERT_EQ(TCPC_REKEY_GENS - 1, tcpc_rekey_gen_at(&rk, 99999));
	ASSERT_FALSE(tcpc_rekey_rx_accepted(&rk, 999));
	ASSERT_EQ(0, rk.oldest);
	ASSERT_TRUE(tcpc_rekey_rx_accepted(&rk, 2500));
	ASSERT_EQ(2, rk.oldest);
	ASSERT_FALSE(tcpc_rekey_needed(&rk, 1));
	ASSERT_TRUE(tcpc_rekey_needed(&rk, 2));
	ASSERT_EQ(2, tcpc_rekey_gen_at(&rk, 2500));
	ASSERT_TRUE(tcpc_rekey_want(&rk, &gen));
	ASSERT_EQ(TCPC_REKEY_GENS, gen);
	/* the current generation never retires */
	ASSERT_TRUE(tcpc_rekey_rx_accepted(&rk, 1 << 30));
	ASSERT_EQ(TCPC_REKEY_GENS - 1, rk.oldest);
	ASSERT_TRUE(tcpc_rekey_needed(&rk, TCPC_REKEY_GENS - 1));
	check_invariants(_metadata, &rk);
}

TEST(two_sets_ahead_once_rekeyed)
{
	struct tcpc_rekey rk;
	u32 gen;

	tcpc_rekey_init(&rk);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 1));
	ASSERT_FALSE(tcpc_rekey_want(&rk, &gen));
	ASSERT_EQ(0, tcpc_rekey_rx_gen(&rk, true, 0, false, &gen));
	ASSERT_TRUE(tcpc_rekey_rx_commit(&rk, true, 100));
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 2));
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 3));
	ASSERT_FALSE(tcpc_rekey_want(&rk, &gen));
	check_invariants(_metadata, &rk);
}

TEST(peer_done_no_answer_awaited)
{
	struct tcpc_rekey rk;
	u32 gen, g;

	tcpc_rekey_init(&rk);
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 1));
	tcpc_rekey_tx_sealed(&rk, 10, false);
	ASSERT_TRUE(tcpc_rekey_tx_gen(&rk, 10, 0, &gen));
	ASSERT_EQ(0, tcpc_rekey_prepared(&rk, 2));
	tcpc_rekey_tx_sealed(&rk, 10, true);
	/* unanswered: no second rekey */
	ASSERT_FALSE(tcpc_rekey_tx_gen(&rk, 10, 1, &gen));
	ASSERT_EQ(1, gen);
	/* the peer finished: it cannot answer, we go on rekeying */
	tcpc_rekey_peer_done(&rk);
	for (g = 2; g < 3 * TCPC_REKEY_GENS; g++) {
		ASSERT_TRUE(tcpc_rekey_tx_gen(&rk, 10, g - 1, &gen));
		ASSERT_EQ(g, gen);
		tcpc_rekey_tx_sealed(&rk, 10, true);
		ASSERT_FALSE(tcpc_rekey_needed(&rk, g - 1));
		check_invariants(_metadata, &rk);
		ASSERT_TRUE(tcpc_rekey_want(&rk, &gen));
		ASSERT_EQ(0, tcpc_rekey_prepared(&rk, gen));
	}
	ASSERT_EQ(0, rk.remote);
}

/* ---- two hosts talking ---- */

#define QMAX 64

struct sim_frame {
	u32 gen;
	bool rekey;
	u64 off;
};

struct sim_host {
	struct tcpc_rekey rk;
	u32 tx_gen;		/* generation of our newest frame */
	bool fin;
	u64 off;		/* wire offset of our next frame */
	u64 accepted;		/* peer's frames accepted up to this offset */
	u64 delivered;		/* peer's frames opened up to this offset */
	struct sim_frame q[QMAX];	/* our frames in flight, in order */
	u32 qh, qn;
};

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u32 rnd(u32 n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (u32)(rnd_state % n);
}

/* A new frame of @h: data (maybe starting a generation) or the owed one */
static bool sim_send(struct sim_host *h, u64 limit, u32 dlen)
{
	struct sim_frame *f;
	u32 gen;

	if (h->fin || h->qn == QMAX)
		return false;
	tcpc_rekey_tx_gen(&h->rk, limit, h->tx_gen, &gen);
	if (gen != h->tx_gen && gen != h->tx_gen + 1)
		abort();
	f = &h->q[(h->qh + h->qn++) % QMAX];
	f->gen = gen;
	f->rekey = gen != h->tx_gen;
	f->off = h->off;
	h->off += 20 + dlen;
	h->tx_gen = gen;
	tcpc_rekey_tx_sealed(&h->rk, dlen, f->rekey);
	return true;
}

/* The work item of @h: free nothing (the model has no keys), prepare */
static void sim_prepare(struct sim_host *h)
{
	u32 gen;

	if (tcpc_rekey_want(&h->rk, &gen))
		tcpc_rekey_prepared(&h->rk, gen);
}

/*
 * The oldest frame of @from reaches @to: opened under the generation
 * that sealed it, or held (left in flight). Returns -1 on a mismatch.
 */
static int sim_deliver(struct sim_host *from, struct sim_host *to)
{
	struct sim_frame *f;
	u32 gen;

	if (!from->qn)
		return 0;
	f = &from->q[from->qh];
	if (tcpc_rekey_rx_gen(&to->rk, f->rekey, to->tx_gen, to->fin, &gen))
		return 0;
	if (gen != f->gen)
		return -1;
	from->qh = (from->qh + 1) % QMAX;
	from->qn--;
	to->delivered = f->off + 1;
	if (tcpc_rekey_rx_commit(&to->rk, f->rekey, f->off))
		sim_send(to, 0, 0);	/* the owed frame, empty */
	/* an opened frame can be opened again until accepted */
	if (tcpc_rekey_gen_at(&to->rk, f->off) != f->gen)
		return -1;
	return 0;
}

/* @to accepted all of @from's frames, its FIN included */
static void sim_peer_done(struct sim_host *from, struct sim_host *to)
{
	if (from->fin && !from->qn && to->accepted == to->delivered &&
	    !to->rk.peer_done)
		tcpc_rekey_peer_done(&to->rk);
}

TEST(two_hosts_always_agree_on_each_frames_generation)
{
	struct sim_host *h = calloc(2, sizeof(*h));
	u64 limits[2], rekeys = 0, answers = 0;
	int round, step, i;

	ASSERT_NE(NULL, h);
	for (round = 0; round < 200; round++) {
		memset(h, 0, 2 * sizeof(*h));
		tcpc_rekey_init(&h[0].rk);
		tcpc_rekey_init(&h[1].rk);
		limits[0] = rnd(4) ? 1 + rnd(3000) : 0;
		limits[1] = rnd(4) ? 1 + rnd(3000) : 0;
		for (step = 0; step < 3000; step++) {
			struct sim_host *a = &h[rnd(2)];
			struct sim_host *b = a == &h[0] ? &h[1] : &h[0];

			switch (rnd(6)) {
			case 0:
			case 1:
				sim_send(a, limits[a - h], rnd(1500));
				break;
			case 2:
			case 3:
				ASSERT_EQ(0, sim_deliver(a, b));
				break;
			case 4:
				sim_prepare(a);
				break;
			case 5:
				/* the local TCP accepts what was opened */
				a->accepted = a->delivered;
				tcpc_rekey_rx_accepted(&a->rk, a->accepted);
				break;
			}
			if (!rnd(2000))
				a->fin = true;
			sim_peer_done(a, b);
			check_invariants(_metadata, &h[0].rk);
			check_invariants(_metadata, &h[1].rk);
		}
		/* drain: prepare, accept, deliver until both queues are empty */
		for (step = 0; step < 10000 && (h[0].qn || h[1].qn); step++) {
			for (i = 0; i < 2; i++) {
				sim_prepare(&h[i]);
				h[i].accepted = h[i].delivered;
				tcpc_rekey_rx_accepted(&h[i].rk, h[i].accepted);
				ASSERT_EQ(0, sim_deliver(&h[i], &h[1 - i]));
				sim_peer_done(&h[i], &h[1 - i]);
			}
		}
		ASSERT_EQ(0, h[0].qn);
		ASSERT_EQ(0, h[1].qn);
		/* each counts the other's rekey frames as its remote */
		ASSERT_EQ(h[0].tx_gen, h[1].rk.remote);
		ASSERT_EQ(h[1].tx_gen, h[0].rk.remote);
		ASSERT_EQ(h[0].rk.rekeys_sent, h[1].rk.rekeys_rcvd);
		rekeys += h[0].rk.rekeys_sent + h[1].rk.rekeys_sent;
		answers += (limits[0] == 0) * h[0].rk.rekeys_sent +
			   (limits[1] == 0) * h[1].rk.rekeys_sent;
		/* without a FIN, every rekey was answered: same generation */
		if (!h[0].fin && !h[1].fin) {
			ASSERT_EQ(h[0].rk.local, h[1].rk.local);
			ASSERT_EQ(h[0].tx_gen, h[1].tx_gen);
		}
	}
	/* the conversations did rekey, and hosts that never start one answered */
	TH_LOG("%llu rekey frames, %llu of them answers of a host with limit 0",
	       (unsigned long long)rekeys, (unsigned long long)answers);
	ASSERT_GT(rekeys, 3000);
	ASSERT_GT(answers, 400);
	free(h);
}

TEST_HARNESS_MAIN
