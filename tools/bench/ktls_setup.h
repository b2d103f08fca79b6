/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kTLS (TLS 1.3 record layer in the kernel) on a connected TCP socket with
 * fixed keys both ends know in advance: no handshake, so the benchmark
 * measures the kernel's record layer only, like tcpcrypt's data path once
 * its keys exist.
 */
#ifndef BENCH_KTLS_SETUP_H
#define BENCH_KTLS_SETUP_H

enum ktls_role {
	KTLS_CLIENT,
	KTLS_SERVER,
};

/* "aes128gcm", "aes256gcm", "chacha20poly1305" -> TLS_CIPHER_*, or -1 */
int ktls_cipher_by_name(const char *name);

/*
 * TCP_ULP "tls", then TLS_TX and TLS_RX with the keys of the role's two
 * directions (the client's TX keys are the server's RX keys). 0 or -1,
 * message printed.
 */
int ktls_setup(int fd, int cipher, enum ktls_role role);

#endif /* BENCH_KTLS_SETUP_H */
