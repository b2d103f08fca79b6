// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The table of AEADs tcpcrypt can negotiate, and lookup by sym_cipher id.
 */
#include "aead_desc.h"

static const struct tcpc_aead_desc tcpc_aead_table[] = {
	{
		.id = TCPC_AEAD_AES_128_GCM,
		.key_len = 16,
		.nonce_len = TCPC_AEAD_NONCE_LEN,
		.tag_len = TCPC_AEAD_TAG_LEN,
		.crypto_name = "gcm(aes)",
		.name = "AEAD_AES_128_GCM",
	},
	{
		.id = TCPC_AEAD_AES_256_GCM,
		.key_len = 32,
		.nonce_len = TCPC_AEAD_NONCE_LEN,
		.tag_len = TCPC_AEAD_TAG_LEN,
		.crypto_name = "gcm(aes)",
		.name = "AEAD_AES_256_GCM",
	},
	{
		.id = TCPC_AEAD_CHACHA20_POLY1305,
		.key_len = 32,
		.nonce_len = TCPC_AEAD_NONCE_LEN,
		.tag_len = TCPC_AEAD_TAG_LEN,
		.crypto_name = "rfc7539(chacha20,poly1305)",
		.name = "AEAD_CHACHA20_POLY1305",
	},
};

/**
 * tcpc_aead_find() - look up an AEAD by its sym_cipher id
 * @id: the 16-bit identifier from Init1/Init2
 *
 * Return: the descriptor, or NULL when tcpcrypt does not know @id.
 */
const struct tcpc_aead_desc *tcpc_aead_find(u16 id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tcpc_aead_table); i++)
		if (tcpc_aead_table[i].id == id)
			return &tcpc_aead_table[i];
	return NULL;
}
