// SPDX-License-Identifier: GPL-2.0
/* kTLS with fixed keys for the benchmark: see ktls_setup.h. */
#include <linux/tls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ktls_setup.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

/* Directions: client to server, server to client */
enum { DIR_C2S, DIR_S2C };

union crypto_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 gcm128;
	struct tls12_crypto_info_aes_gcm_256 gcm256;
	struct tls12_crypto_info_chacha20_poly1305 chacha;
};

int ktls_cipher_by_name(const char *name)
{
	if (!strcmp(name, "aes128gcm"))
		return TLS_CIPHER_AES_GCM_128;
	if (!strcmp(name, "aes256gcm"))
		return TLS_CIPHER_AES_GCM_256;
	if (!strcmp(name, "chacha20poly1305"))
		return TLS_CIPHER_CHACHA20_POLY1305;
	return -1;
}

/*
 * Fixed, distinct material per direction and field: what a handshake would
 * have agreed on. Secrecy is irrelevant here; only the cost of the record
 * layer is measured.
 */
static void fill(unsigned char *p, size_t len, int dir, unsigned char field)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(field ^ (dir * 0x5a) ^ (i * 7));
}

static size_t crypto_info_fill(union crypto_info *ci, int cipher, int dir)
{
	memset(ci, 0, sizeof(*ci));
	ci->info.version = TLS_1_3_VERSION;
	ci->info.cipher_type = (unsigned short)cipher;
	switch (cipher) {
	case TLS_CIPHER_AES_GCM_128:
		fill(ci->gcm128.key, sizeof(ci->gcm128.key), dir, 0x10);
		fill(ci->gcm128.iv, sizeof(ci->gcm128.iv), dir, 0x20);
		fill(ci->gcm128.salt, sizeof(ci->gcm128.salt), dir, 0x30);
		return sizeof(ci->gcm128);
	case TLS_CIPHER_AES_GCM_256:
		fill(ci->gcm256.key, sizeof(ci->gcm256.key), dir, 0x10);
		fill(ci->gcm256.iv, sizeof(ci->gcm256.iv), dir, 0x20);
		fill(ci->gcm256.salt, sizeof(ci->gcm256.salt), dir, 0x30);
		return sizeof(ci->gcm256);
	case TLS_CIPHER_CHACHA20_POLY1305:
		fill(ci->chacha.key, sizeof(ci->chacha.key), dir, 0x10);
		fill(ci->chacha.iv, sizeof(ci->chacha.iv), dir, 0x20);
		return sizeof(ci->chacha);
	}
	return 0;
}

int ktls_setup(int fd, int cipher, enum ktls_role role)
{
	int tx_dir = role == KTLS_CLIENT ? DIR_C2S : DIR_S2C;
	int rx_dir = role == KTLS_CLIENT ? DIR_S2C : DIR_C2S;
	union crypto_info ci;
	size_t len;

	if (setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls"))) {
		perror("TCP_ULP tls (is the tls module available?)");
		return -1;
	}
	len = crypto_info_fill(&ci, cipher, tx_dir);
	if (!len) {
		fprintf(stderr, "unknown kTLS cipher %d\n", cipher);
		return -1;
	}
	if (setsockopt(fd, SOL_TLS, TLS_TX, &ci, (socklen_t)len)) {
		perror("TLS_TX");
		return -1;
	}
	crypto_info_fill(&ci, cipher, rx_dir);
	if (setsockopt(fd, SOL_TLS, TLS_RX, &ci, (socklen_t)len)) {
		perror("TLS_RX");
		return -1;
	}
	return 0;
}
