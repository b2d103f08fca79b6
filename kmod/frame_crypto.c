// SPDX-License-Identifier: GPL-2.0
/*
 * Sealing and opening tcpcrypt frames with the kernel crypto API, in the
 * manner of kTLS's tls_sw.c: a keyed crypto_aead per direction and key
 * generation, one aead_request per frame, the 3 header bytes as the
 * associated data at the front of both the source and the destination
 * scatterlists. Sources are only read: outbound data belongs to the
 * socket's write queue, inbound frames to received skbs.
 */
#include <crypto/aead.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include "frame_crypto.h"
#include "kdf.h"

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
};

static struct frame_op *frame_op_alloc(const struct tcpc_frame_key *key,
				       struct aead_request **req)
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
	/* The transform is synchronous: no completion, no backlog */
	aead_request_set_callback(*req, 0, NULL, NULL);
	return op;
}

/* The request context may hold per-frame secrets (a Poly1305 key) */
static void frame_op_free(struct frame_op *op)
{
	kfree_sensitive(op);
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
	/*
	 * Masking CRYPTO_ALG_ASYNC picks a synchronous implementation, so
	 * that seal and open complete before they return and can run in
	 * softirq context without waiting. On 6.1 x86 this passes over the
	 * AES-NI GCM driver (async: it may defer to cryptd) for
	 * gcm_base(ctr(aes-aesni),ghash-generic); completing async requests,
	 * as IPsec does, is a later optimisation.
	 */
	tfm = crypto_alloc_aead(desc->crypto_name, 0, CRYPTO_ALG_ASYNC);
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

/**
 * tcpc_frame_seal() - encrypt one frame into its wire form
 * @key: the sending direction's key for the frame's key generation
 * @offset: the frame's offset in the sending direction's TCP byte stream
 * @rekey: whether this is the first frame under a new key generation
 * @pfx: flags (FINp, URGp) and urgent offset, encrypted ahead of the data
 * @data: the application bytes (only read; may be longer than @data_len);
 *	may be NULL when @data_len is 0
 * @data_len: how many of them the frame carries
 * @wire: receives control | clen | ciphertext | tag, which takes
 *	tcpc_frame_sealed_len(@pfx, @data_len) bytes; must not overlap @data
 *
 * On failure @wire holds garbage and must not be sent.
 *
 * Context: process or softirq context; does not sleep.
 *
 * Return: 0; -EMSGSIZE when the frame would exceed clen; -EINVAL when
 * @data or @wire is shorter than the lengths above; -ENOMEM; or the
 * crypto API's error.
 */
int tcpc_frame_seal(const struct tcpc_frame_key *key, u64 offset,
		    bool rekey, const struct tcpc_frame_prefix *pfx,
		    struct scatterlist *data, unsigned int data_len,
		    struct scatterlist *wire)
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

	op = frame_op_alloc(key, &req);
	if (!op)
		return -ENOMEM;
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
	err = crypto_aead_encrypt(req);
	frame_op_free(op);
	return err;
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

/**
 * tcpc_frame_open() - authenticate and decrypt one received frame
 * @key: the receiving direction's key for the frame's key generation
 *	(the caller reads the rekey bit of the header to pick it)
 * @offset: the frame's offset in the peer's TCP byte stream
 * @wire: the whole frame as received: header, ciphertext, tag (only read)
 * @wire_len: its length, which must match the header's clen
 * @plain: receives the plaintext: prefix then data; must hold
 *	tcpc_frame_plain_len() bytes and must not overlap @wire
 * @pfx: receives FINp, URGp and the urgent offset; the data follows the
 *	prefix in @plain, tcpc_frame_prefix_len(@pfx) bytes in
 *
 * When authentication fails, @plain is zeroed before returning, so no
 * unauthenticated byte survives; the caller must still discard @plain on
 * any error, and must abort the connection on -EBADMSG.
 *
 * Context: process or softirq context; does not sleep.
 *
 * Return: 0; -EBADMSG when the frame fails authentication, its clen is
 * too small, or its authenticated plaintext is too short for its prefix;
 * -EINVAL when @wire_len disagrees with clen or a scatterlist is too
 * short; -ENOMEM; or the crypto API's error.
 */
int tcpc_frame_open(const struct tcpc_frame_key *key, u64 offset,
		    struct scatterlist *wire, unsigned int wire_len,
		    struct scatterlist *plain, struct tcpc_frame_prefix *pfx)
{
	int wire_nents, plain_nents;
	struct tcpc_frame_hdr hdr;
	struct aead_request *req;
	struct frame_op *op;
	size_t plain_len;
	int err;

	if (wire_len < TCPC_FRAME_HDR_LEN)
		return -EINVAL;
	wire_nents = sg_nents_for_len(wire, wire_len);
	if (wire_nents < 0)
		return -EINVAL;

	op = frame_op_alloc(key, &req);
	if (!op)
		return -ENOMEM;
	sg_pcopy_to_buffer(wire, wire_nents, op->hdr, TCPC_FRAME_HDR_LEN, 0);
	err = tcpc_frame_hdr_decode(op->hdr, TCPC_FRAME_HDR_LEN, &hdr);
	if (err)
		goto out_free_op;
	if (tcpc_frame_wire_len(&hdr) != wire_len) {
		err = -EINVAL;
		goto out_free_op;
	}
	plain_len = tcpc_frame_plain_len(&hdr);
	plain_nents = sg_nents_for_len(plain, plain_len);
	if (plain_nents < 0) {
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
	err = crypto_aead_decrypt(req);
	if (!err)
		err = frame_read_prefix(plain, plain_nents, plain_len,
					op->prefix, pfx);
	/* Implementations decrypt before they check the tag */
	if (err)
		sg_zero_buffer(plain, plain_nents, plain_len, 0);

out_free_op:
	frame_op_free(op);
	return err;
}
