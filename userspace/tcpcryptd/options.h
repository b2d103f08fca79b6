/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* tcpcryptd's command line */
#ifndef TCPCRYPTD_OPTIONS_H
#define TCPCRYPTD_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "ctladdr.h"
#include "genl_ops.h"

#define DEFAULT_TEPS	"p521,p256,x448,x25519"
#define DEFAULT_AEADS	"aes128gcm,aes256gcm,chacha20poly1305"
#define DEFAULT_TEST_PORT "80"

struct options {
	const char *ctl_spec;		/* -u */
	struct tc_ctl_addr ctl;
	bool selftest;			/* cleared by -f */
	bool nettest;			/* -s given */
	char test_host[256];		/* -s host[:port] */
	char test_port[6];
	uint32_t divert_mark;		/* -p */
	int verbosity;			/* -v count */
	/* -t and -a, in the order the module wants them */
	unsigned int n_teps;
	unsigned int n_aeads;
	uint8_t teps[TCPCRYPT_MAX_TEPS];
	uint16_t aeads[TCPCRYPT_MAX_AEADS];
};

enum options_result {
	OPTIONS_RUN,		/* start the daemon */
	OPTIONS_EXIT,		/* -h or -V answered: exit 0 */
	OPTIONS_USAGE,		/* bad arguments, said on stderr: exit 2 */
};

enum options_result options_parse(int argc, char *argv[], struct options *o);

#endif /* TCPCRYPTD_OPTIONS_H */
