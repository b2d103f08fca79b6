// SPDX-License-Identifier: GPL-2.0
/*
 * Sealing and opening tcpcrypt frames with the kernel crypto API, in the
 * manner of kTLS's tls_sw.c: a keyed crypto_aead per direction and key
 * generation, one aead_request per frame, the 3 header bytes as the
 * associated data at the front of both the source and the destination
 * scatterlists. Sources are only read: outbound data belongs to the
 * socket's write queue, inbound frames to received skbs.
 *
 * Like IPsec and kTLS, the fastest implementation is taken, asynchronous
 * ones included (on x86 the AES-NI GCM driver is one: it completes at once
 * when the FPU is usable and defers to cryptd otherwise). The *_async()
 * calls then report -EINPROGRESS and finish in a completion callback; the
 * plain calls wait for it, in process context.
 */
#include <crypto/aead.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "frame_crypto.h"
#include "kdf.h"

/*
 * crypto_async=auto: the highest priority implementation, synchronous or
 * not; force: each one wrapped in pcrypt, so that every request completes
 * asynchronously, in a padata worker (tests; cryptd would do the same,
 * but its AEAD instances fail the crypto manager's self-test on 6.1: they
 * rewrite the caller's request); off: synchronous implementations only.
 */
enum frame_async_mode {
	FRAME_ASYNC_AUTO,
	FRAME_ASYNC_FORCE,
	FRAME_ASYNC_OFF,
};

static const char * const frame_async_names[] = {
	[FRAME_ASYNC_AUTO] = "auto",
	[FRAME_ASYNC_FORCE] = "force",
	[FRAME_ASYNC_OFF] = "off",
};

static int frame_async_mode;

static int frame_async_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(frame_async_names, val);

	if (mode < 0)
		return mode;
	*(int *)kp->arg = mode;
	return 0;
}

static int frame_async_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", frame_async_names[*(int *)kp->arg]);
}

static const struct kernel_param_ops frame_async_ops = {
	.set = frame_async_set,
	.get = frame_async_get,
};

/* Read-only once loaded: every key of the module's life is alike */
module_param_cb(crypto_async, &frame_async_ops, &frame_async_mode, 0444);
MODULE_PARM_DESC(crypto_async,
		 "AEAD implementations: auto (fastest, async allowed), force (all through pcrypt), off (synchronous only)");

/*
 * Per-call state, allocated with the aead_request behind it: the nonce,
 * the header and prefix bytes, and the short scatterlists that put them
 * in front of the caller's lists (they must not live on a vmapped stack).
 */
struct frame_op {
	u8 iv[TCPC_AEAD_NONCE_LEN];
	u8 hdr[TCPC_FRAME_HDR_LEN];
	u8 ad_out[TCPC_FRAME_AD_LEN];
	u8 prefix[TCPC_FRAME_PREFIX_MAX];
	struct scatterlist src[3];
	struct scatterlist dst[2];
	/* the caller's completion, and what opening finishes with */
	tcpc_frame_done_t done;
	void *arg;
	struct scatterlist *plain;
	int plain_nents;
	size_t plain_len;
	struct tcpc_frame_prefix *pfx;
};

static struct frame_op *frame_op_alloc(const struct tcpc_frame_key *key,
				       struct aead_request **req,
				       crypto_completion_t complete)
{
	size_t head = ALIGN(sizeof(struct frame_op),
			    crypto_tfm_ctx_alignment());
	struct frame_op *op;

	op = kmalloc(head + sizeof(**req) + crypto_aead_reqsize(key->tfm),
		     GFP_ATOMIC);
	if (!op)
		return NULL;
	*req = (struct aead_request *)((u8 *)op + head);
	aead_request_set_tfm(*req, key->tfm);
	/*
	 * A full queue (a driver's, cryptd's) takes the request as backlog
	 * (-EBUSY) rather than failing it: a lost frame stalls the stream.
	 * No MAY_SLEEP: callers may be in softirq.
	 */
	aead_request_set_callback(*req, CRYPTO_TFM_REQ_MAY_BACKLOG, complete,
				  op);
	return op;
}

/* The request context may hold per-frame secrets (a Poly1305 key) */
static void frame_op_free(struct frame_op *op)
{
	kfree_sensitive(op);
}

/*
 * pcrypt names its instances after the driver they wrap (cra_name stays
 * the plain one), so the instance is asked for by that driver name: the
 * synchronous implementation the module would use with crypto_async=off.
 */
static struct crypto_aead *frame_alloc_pcrypt(const char *crypto_name)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *inner;
	int n;

	inner = crypto_alloc_aead(crypto_name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(inner))
		return inner;
	n = snprintf(name, sizeof(name), "pcrypt(%s)",
		     crypto_aead_driver_name(inner));
	crypto_free_aead(inner);
	if (n >= sizeof(name))
		return ERR_PTR(-ENAMETOOLONG);
	return crypto_alloc_aead(name, 0, 0);
}

static struct crypto_aead *frame_alloc_tfm(const struct tcpc_aead_desc *desc)
{
	switch (frame_async_mode) {
	case FRAME_ASYNC_FORCE:
		return frame_alloc_pcrypt(desc->crypto_name);
	case FRAME_ASYNC_OFF:
		return crypto_alloc_aead(desc->crypto_name, 0,
					 CRYPTO_ALG_ASYNC);
	default:
		return crypto_alloc_aead(desc->crypto_name, 0, 0);
	}
}

static bool frame_tfm_async(struct crypto_aead *tfm)
{
	return crypto_aead_alg(tfm)->base.cra_flags & CRYPTO_ALG_ASYNC;
}

/* Which implementation serves each AEAD: once per AEAD and module load */
static void frame_report_tfm(const struct tcpc_aead_desc *desc,
			     struct crypto_aead *tfm)
{
	static unsigned long reported;

	if (test_and_set_bit(desc->id % BITS_PER_LONG, &reported))
		return;
	pr_info("%s (%s): %s (%s), crypto_async=%s\n", desc->name,
		desc->crypto_name, crypto_aead_driver_name(tfm),
		frame_tfm_async(tfm) ? "async" : "sync",
		frame_async_names[frame_async_mode]);
}

static int frame_key_setup(struct tcpc_frame_key *key,
			   const struct tcpc_aead_desc *desc,
			   const u8 *k, const u8 *nr)
{
	struct crypto_aead *tfm;
	int err;

	might_sleep();
	if (desc->nonce_len != TCPC_AEAD_NONCE_LEN ||
	    desc->tag_len != TCPC_FRAME_TAG_LEN)
		return -EINVAL;
	tfm = frame_alloc_tfm(desc);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	if (crypto_aead_ivsize(tfm) != TCPC_AEAD_NONCE_LEN) {
		err = -EINVAL;
		goto err_free_tfm;
	}
	err = crypto_aead_setkey(tfm, k, desc->key_len);
	if (err)
		goto err_free_tfm;
	err = crypto_aead_setauthsize(tfm, TCPC_FRAME_TAG_LEN);
	if (err)
		goto err_free_tfm;

	frame_report_tfm(desc, tfm);
	key->tfm = tfm;
	key->desc = desc;
	memcpy(key->nr, nr, TCPC_AEAD_NONCE_LEN);
	return 0;

err_free_tfm:
	crypto_free_aead(tfm);
	return err;
}

/**
 * tcpc_frame_key_init() - key one direction from a raw traffic key
 * @key: receives the transform and NR; untouched on failure
 * @aead_id: the negotiated sym_cipher (TCPC_AEAD_*)
 * @traffic_key: k_ab[j] or k_ba[j] as derived: K followed by NR
 * @len: its length, which must be the AEAD's key_len + nonce_len
 *
 * Context: process context; may sleep (allocates, may load modules).
 *
 * Return: 0; -EINVAL for an unknown AEAD or a wrong length; or the crypto
 * API's error (-ENOENT when the kernel lacks the algorithm, -ENOMEM).
 */
int tcpc_frame_key_init(struct tcpc_frame_key *key, u16 aead_id,
			const u8 *traffic_key, unsigned int len)
{
	const struct tcpc_aead_desc *desc = tcpc_aead_find(aead_id);

	if (!desc || len != tcpc_aead_traffic_key_len(desc))
		return -EINVAL;
	return frame_key_setup(key, desc, traffic_key,
			       traffic_key + desc->key_len);
}

/**
 * tcpc_frame_key_init_tk() - key one direction from the key schedule
 * @key: receives the transform and NR; untouched on failure
 * @aead_id: the negotiated sym_cipher (TCPC_AEAD_*)
 * @tk: the traffic key as tcpc_kdf_traffic_key() returns it
 *
 * Context: process context; may sleep (allocates, may load modules).
 *
 * Return: as tcpc_frame_key_init(); -EINVAL when @tk was derived for an
 * AEAD with other lengths.
 */
int tcpc_frame_key_init_tk(struct tcpc_frame_key *key, u16 aead_id,
			   const struct tcpc_traffic_key *tk)
{
	const struct tcpc_aead_desc *desc = tcpc_aead_find(aead_id);

	if (!desc || tk->key_len != desc->key_len ||
	    tk->nonce_len != desc->nonce_len)
		return -EINVAL;
	return frame_key_setup(key, desc, tk->key, tk->nr);
}

/**
 * tcpc_frame_key_destroy() - free the transform and wipe the key
 * @key: a key set up by tcpc_frame_key_init*(), or a zeroed one
 *
 * The transform wipes K itself when freed. No seal or open may be running
 * on @key.
 *
 * Context: process or softirq context (the crypto API defers the parts of
 * a teardown that could sleep to a workqueue).
 */
void tcpc_frame_key_destroy(struct tcpc_frame_key *key)
{
	crypto_free_aead(key->tfm);
	memzero_explicit(key, sizeof(*key));
}

/* Completion of an asynchronous request: the wait of the plain calls */
struct frame_wait {
	struct completion done;
	int err;
};

static void frame_wait_done(void *arg, int err)
{
	struct frame_wait *w = arg;

	w->err = err;
	complete(&w->done);
}

static int frame_wait(struct frame_wait *w, int err)
{
	if (err != -EINPROGRESS)
		return err;
	wait_for_completion(&w->done);
	return w->err;
}

/* The crypto API's completion: -EINPROGRESS only says a backlog moved on */
static void frame_seal_complete(struct crypto_async_request *areq, int err)
{
	struct frame_op *op = areq->data;
	tcpc_frame_done_t done = op->done;
	void *arg = op->arg;

	if (err == -EINPROGRESS)
		return;
	frame_op_free(op);
	done(arg, err);
}

/*
 * Queued or backlogged, the request completes later. (pcrypt refuses work
 * with -EAGAIN when too much is queued: the caller tries again later.)
 */
static int frame_submitted(int err)
{
	return err == -EBUSY ? -EINPROGRESS : err;
}

/**
 * tcpc_frame_seal_async() - encrypt one frame into its wire form
 * @key: the sending direction's key for the frame's key generation
 * @offset: the frame's offset in the sending direction's TCP byte stream
 * @rekey: whether this is the first frame under a new key generation
 * @pfx: flags (FINp, URGp) and urgent offset, encrypted ahead of the data
 *	(copied: need not outlive the call)
 * @data: the application bytes (only read; may be longer than @data_len);
 *	may be NULL when @data_len is 0
 * @data_len: how many of them the frame carries
 * @wire: receives control | clen | ciphertext | tag, which takes
 *	tcpc_frame_sealed_len(@pfx, @data_len) bytes; must not overlap @data
 * @done: called with the result when the call returned -EINPROGRESS
 * @arg: for @done
 *
 * On -EINPROGRESS, @data, @wire (the scatterlists and the memory they
 * name) and @key must stay as they are until @done runs, once, from the
 * crypto driver's completion (softirq, or process context with BH
 * disabled). Any other return is the result, and @done is not called. On
 * failure @wire holds garbage and must not be sent.
 *
 * Context: process or softirq context; does not sleep.
 *
 * Return: 0; -EINPROGRESS; -EMSGSIZE when the frame would exceed clen;
 * -EINVAL when @data or @wire is shorter than the lengths above; -ENOMEM
 * or -EAGAIN (try again later); or the crypto API's error.
 */
int tcpc_frame_seal_async(const struct tcpc_frame_key *key, u64 offset,
			  bool rekey, const struct tcpc_frame_prefix *pfx,
			  struct scatterlist *data, unsigned int data_len,
			  struct scatterlist *wire, tcpc_frame_done_t done,
			  void *arg)
{
	size_t plen = tcpc_frame_prefix_len(pfx);
	struct tcpc_frame_hdr hdr;
	struct aead_request *req;
	struct frame_op *op;
	int wire_nents;
	int err;

	err = tcpc_frame_hdr_init(&hdr, rekey, plen + data_len);
	if (err)
		return err;
	if (data_len && sg_nents_for_len(data, data_len) < 0)
		return -EINVAL;
	wire_nents = sg_nents_for_len(wire, tcpc_frame_wire_len(&hdr));
	if (wire_nents < 0)
		return -EINVAL;

	op = frame_op_alloc(key, &req, frame_seal_complete);
	if (!op)
		return -ENOMEM;
	op->done = done;
	op->arg = arg;
	tcpc_frame_hdr_encode(&hdr, op->hdr);
	tcpc_frame_prefix_encode(pfx, op->prefix);
	tcpc_frame_nonce(key->nr, offset, op->iv);

	/* src: header (AD) | prefix | data; dst: header | ciphertext | tag */
	sg_init_table(op->src, data_len ? 3 : 2);
	sg_set_buf(&op->src[0], op->hdr, TCPC_FRAME_HDR_LEN);
	sg_set_buf(&op->src[1], op->prefix, plen);
	if (data_len)
		sg_chain(op->src, 3, data);
	/* AEADs need not copy the AD to dst (gcm does not): write it here */
	sg_pcopy_from_buffer(wire, wire_nents, op->hdr, TCPC_FRAME_HDR_LEN, 0);

	aead_request_set_ad(req, TCPC_FRAME_AD_LEN);
	aead_request_set_crypt(req, op->src, wire, plen + data_len, op->iv);
	err = frame_submitted(crypto_aead_encrypt(req));
	if (err != -EINPROGRESS)
		frame_op_free(op);
	return err;
}

/**
 * tcpc_frame_seal() - tcpc_frame_seal_async(), waiting for the result
 *
 * Context: process context when the key's transform is asynchronous (it
 * may sleep); otherwise any, without sleeping.
 *
 * Return: as tcpc_frame_seal_async(), never -EINPROGRESS.
 */
int tcpc_frame_seal(const struct tcpc_frame_key *key, u64 offset,
		    bool rekey, const struct tcpc_frame_prefix *pfx,
		    struct scatterlist *data, unsigned int data_len,
		    struct scatterlist *wire)
{
	struct frame_wait w;

	init_completion(&w.done);
	return frame_wait(&w, tcpc_frame_seal_async(key, offset, rekey, pfx,
						    data, data_len, wire,
						    frame_wait_done, &w));
}

/* The prefix of an authenticated plaintext; -EBADMSG if it cannot fit */
static int frame_read_prefix(struct scatterlist *plain, int nents,
			     size_t plain_len, u8 *buf,
			     struct tcpc_frame_prefix *pfx)
{
	size_t n = min_t(size_t, plain_len, TCPC_FRAME_PREFIX_MAX);

	sg_pcopy_to_buffer(plain, nents, buf, n, 0);
	return tcpc_frame_prefix_decode(buf, n, pfx) < 0 ? -EBADMSG : 0;
}

/* After the AEAD: the prefix, and no unauthenticated byte left behind */
static int frame_open_finish(struct frame_op *op, int err)
{
	if (!err)
		err = frame_read_prefix(op->plain, op->plain_nents,
					op->plain_len, op->prefix, op->pfx);
	/* Implementations decrypt before they check the tag */
	if (err)
		sg_zero_buffer(op->plain, op->plain_nents, op->plain_len, 0);
	return err;
}

static void frame_open_complete(struct crypto_async_request *areq, int err)
{
	struct frame_op *op = areq->data;
	tcpc_frame_done_t done = op->done;
	void *arg = op->arg;

	if (err == -EINPROGRESS)
		return;
	err = frame_open_finish(op, err);
	frame_op_free(op);
	done(arg, err);
}

/**
 * tcpc_frame_open_async() - authenticate and decrypt one received frame
 * @key: the receiving direction's key for the frame's key generation
 *	(the caller reads the rekey bit of the header to pick it)
 * @offset: the frame's offset in the peer's TCP byte stream
 * @wire: the whole frame as received: header, ciphertext, tag (only read)
 * @wire_len: its length, which must match the header's clen
 * @plain: receives the plaintext: prefix then data; must hold
 *	tcpc_frame_plain_len() bytes and must not overlap @wire
 * @pfx: receives FINp, URGp and the urgent offset; the data follows the
 *	prefix in @plain, tcpc_frame_prefix_len(@pfx) bytes in
 * @done: called with the result when the call returned -EINPROGRESS
 * @arg: for @done
 *
 * On -EINPROGRESS, @wire, @plain, @pfx and @key must stay as they are
 * until @done runs, once, from the crypto driver's completion (softirq,
 * or process context with BH disabled); @plain and @pfx hold the result
 * then. Any other return is the result, and @done is not called.
 *
 * When authentication fails, @plain is zeroed before the result is given,
 * so no unauthenticated byte survives; the caller must still discard
 * @plain on any error, and must abort the connection on -EBADMSG.
 *
 * Context: process or softirq context; does not sleep.
 *
 * Return: 0; -EINPROGRESS; -EBADMSG when the frame fails authentication,
 * its clen is too small, or its authenticated plaintext is too short for
 * its prefix; -EINVAL when @wire_len disagrees with clen or a scatterlist
 * is too short; -ENOMEM or -EAGAIN (try again later); or the crypto
 * API's error.
 */
int tcpc_frame_open_async(const struct tcpc_frame_key *key, u64 offset,
			  struct scatterlist *wire, unsigned int wire_len,
			  struct scatterlist *plain,
			  struct tcpc_frame_prefix *pfx,
			  tcpc_frame_done_t done, void *arg)
{
	struct tcpc_frame_hdr hdr;
	struct aead_request *req;
	struct frame_op *op;
	int wire_nents;
	int err;

	if (wire_len < TCPC_FRAME_HDR_LEN)
		return -EINVAL;
	wire_nents = sg_nents_for_len(wire, wire_len);
	if (wire_nents < 0)
		return -EINVAL;

	op = frame_op_alloc(key, &req, frame_open_complete);
	if (!op)
		return -ENOMEM;
	op->done = done;
	op->arg = arg;
	op->plain = plain;
	op->pfx = pfx;
	sg_pcopy_to_buffer(wire, wire_nents, op->hdr, TCPC_FRAME_HDR_LEN, 0);
	err = tcpc_frame_hdr_decode(op->hdr, TCPC_FRAME_HDR_LEN, &hdr);
	if (err)
		goto out_free_op;
	if (tcpc_frame_wire_len(&hdr) != wire_len) {
		err = -EINVAL;
		goto out_free_op;
	}
	op->plain_len = tcpc_frame_plain_len(&hdr);
	op->plain_nents = sg_nents_for_len(plain, op->plain_len);
	if (op->plain_nents < 0) {
		err = -EINVAL;
		goto out_free_op;
	}
	tcpc_frame_nonce(key->nr, offset, op->iv);

	/* src: header (AD) | ciphertext | tag; dst: scratch AD | plaintext */
	sg_init_table(op->dst, 2);
	sg_set_buf(&op->dst[0], op->ad_out, TCPC_FRAME_AD_LEN);
	sg_chain(op->dst, 2, plain);

	aead_request_set_ad(req, TCPC_FRAME_AD_LEN);
	aead_request_set_crypt(req, wire, op->dst, hdr.clen, op->iv);
	err = frame_submitted(crypto_aead_decrypt(req));
	if (err == -EINPROGRESS)
		return err;
	err = frame_open_finish(op, err);

out_free_op:
	frame_op_free(op);
	return err;
}

/**
 * tcpc_frame_open() - tcpc_frame_open_async(), waiting for the result
 *
 * Context: process context when the key's transform is asynchronous (it
 * may sleep); otherwise any, without sleeping.
 *
 * Return: as tcpc_frame_open_async(), never -EINPROGRESS.
 */
int tcpc_frame_open(const struct tcpc_frame_key *key, u64 offset,
		    struct scatterlist *wire, unsigned int wire_len,
		    struct scatterlist *plain, struct tcpc_frame_prefix *pfx)
{
	struct frame_wait w;

	init_completion(&w.done);
	return frame_wait(&w, tcpc_frame_open_async(key, offset, wire,
						    wire_len, plain, pfx,
						    frame_wait_done, &w));
}
