/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Run one of the built programs (build/bin) and capture what it says */
#ifndef TC_TEST_RUN_PROG_H
#define TC_TEST_RUN_PROG_H

struct prog_result {
	int status;		/* exit status, or -1 when it did not exit */
	char out[8192];		/* stdout */
	char err[8192];		/* stderr */
};

/* argv[0] is the program's name in build/bin; NULL-terminated */
int run_prog(char *const argv[], struct prog_result *r);

#endif /* TC_TEST_RUN_PROG_H */
