/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Start-up self-test of the key agreement (skipped with tcpcryptd -f):
 * known answers from RFC 7748 (X25519, X448) and RFC 5903 (P-256), key
 * pairs that must agree (P-256, P-521) through the wire encoding, and peer
 * keys that must be refused. OpenSSL builds differ (FIPS providers,
 * disabled curves): the daemon refuses to start when any case fails.
 */
#ifndef TCPCRYPTD_KAT_H
#define TCPCRYPTD_KAT_H

struct kat_case {
	const char *name;
	int (*run)(void);	/* 0 on success, else a negative errno */
};

extern const struct kat_case kat_cases[];
extern const unsigned int kat_ncases;

/* Run every case, log each result; returns the number that failed. */
unsigned int kat_run_all(void);

#endif /* TCPCRYPTD_KAT_H */
