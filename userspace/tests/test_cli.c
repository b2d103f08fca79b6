// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Command lines of tcpcryptd, tcpcryptctl and tcnetstat, run from
 * build/bin: help, versions, and every argument error (exit 2 with a
 * message), plus the "module not loaded" error where it is not loaded.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "genl.h"
#include "kselftest_harness.h"
#include "util.h"
#include "run_prog.h"

#define ARGV(...) ((char *const[]){ __VA_ARGS__, NULL })

static struct prog_result r;

struct usage_case {
	char *const *argv;
	const char *message;	/* expected in stderr */
};

static void expect_usage_errors(struct __test_metadata *_metadata,
				const struct usage_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, run_prog(cases[i].argv, &r));
		EXPECT_EQ(2, r.status)
			TH_LOG("%s %s: exit %d", cases[i].argv[0],
			       cases[i].argv[1], r.status);
		EXPECT_NE(NULL, strstr(r.err, cases[i].message))
			TH_LOG("%s %s: stderr \"%s\"", cases[i].argv[0],
			       cases[i].argv[1], r.err);
		EXPECT_STREQ("", r.out);
	}
}

TEST(tcpcryptd_help_and_version)
{
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptd", "-h"), &r));
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, "Usage: tcpcryptd ", 17));
	EXPECT_NE(NULL, strstr(r.out, "-u socket_address"));
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptd", "-V"), &r));
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("tcpcryptd 0.1.0\n", r.out);
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptd", "--version"), &r));
	EXPECT_STREQ("tcpcryptd 0.1.0\n", r.out);
}

TEST(tcpcryptd_argument_errors)
{
	const struct usage_case cases[] = {
		{ ARGV("tcpcryptd", "-t", "x25519,curve448"),
		  "tcpcryptd: -t: unknown TEP \"curve448\"" },
		{ ARGV("tcpcryptd", "-t", "p256,p256"),
		  "tcpcryptd: -t: TEP \"p256\" listed twice" },
		{ ARGV("tcpcryptd", "-t", ""), "tcpcryptd: -t: empty TEP list" },
		{ ARGV("tcpcryptd", "-a", "aes128gcm,"),
		  "tcpcryptd: -a: empty AEAD name in list" },
		{ ARGV("tcpcryptd", "-a", "aes-128-gcm"),
		  "tcpcryptd: -a: unknown AEAD \"aes-128-gcm\"" },
		{ ARGV("tcpcryptd", "-p", "mark"), "tcpcryptd: -p: expected" },
		{ ARGV("tcpcryptd", "-p", "0x100000000"),
		  "tcpcryptd: -p: expected" },
		{ ARGV("tcpcryptd", "-u", ":0"), "tcpcryptd: -u: expected" },
		{ ARGV("tcpcryptd", "-u", ""), "tcpcryptd: -u: expected" },
		{ ARGV("tcpcryptd", "-s", "host:"),
		  "tcpcryptd: -s: expected host[:port]" },
		{ ARGV("tcpcryptd", "-s", "[::1"),
		  "tcpcryptd: -s: expected host[:port]" },
		{ ARGV("tcpcryptd", "-Q"), "tcpcryptd: invalid option -Q" },
		{ ARGV("tcpcryptd", "-u"),
		  "tcpcryptd: option -u needs an argument" },
		{ ARGV("tcpcryptd", "extra"),
		  "tcpcryptd: unexpected argument \"extra\"" },
	};

	expect_usage_errors(_metadata, cases, ARRAY_SIZE(cases));
}

TEST(tcpcryptctl_help_and_version)
{
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptctl", "--help"), &r));
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, "Usage: tcpcryptctl ", 19));
	EXPECT_NE(NULL, strstr(r.out, "stats reset"));
	EXPECT_NE(NULL, strstr(r.out, "sessions flush"));
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptctl", "-h"), &r));
	EXPECT_EQ(0, r.status);
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptctl", "help"), &r));
	EXPECT_EQ(0, r.status);
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptctl", "--version"), &r));
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("tcpcryptctl 0.1.0\n", r.out);
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptctl", "version"), &r));
	EXPECT_STREQ("tcpcryptctl 0.1.0\n", r.out);
}

TEST(tcpcryptctl_argument_errors)
{
	const struct usage_case cases[] = {
		{ ARGV("tcpcryptctl", "frobnicate"),
		  "tcpcryptctl: invalid command \"frobnicate\"" },
		{ ARGV("tcpcryptctl", "show", "json"),
		  "Usage: tcpcryptctl show [dump]" },
		{ ARGV("tcpcryptctl", "show", "dump", "more"),
		  "Usage: tcpcryptctl show [dump]" },
		{ ARGV("tcpcryptctl", "stats"),
		  "Usage: tcpcryptctl stats reset" },
		{ ARGV("tcpcryptctl", "stats", "clear"),
		  "Usage: tcpcryptctl stats reset" },
		{ ARGV("tcpcryptctl", "sessions"),
		  "Usage: tcpcryptctl sessions flush" },
		{ ARGV("tcpcryptctl", "sessions", "flush", "all"),
		  "Usage: tcpcryptctl sessions flush" },
		{ ARGV("tcpcryptctl", "conns", "-n"), "Usage: tcpcryptctl conns" },
		{ ARGV("tcpcryptctl", "help", "me"), "Usage: tcpcryptctl" },
	};

	expect_usage_errors(_metadata, cases, ARRAY_SIZE(cases));
}

TEST(tcnetstat_help_and_errors)
{
	const struct usage_case cases[] = {
		{ ARGV("tcnetstat", "-x"), "tcnetstat: invalid option -x" },
		{ ARGV("tcnetstat", "all"),
		  "tcnetstat: unexpected argument \"all\"" },
	};

	ASSERT_EQ(0, run_prog(ARGV("tcnetstat", "-h"), &r));
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, "Usage: tcnetstat ", 17));
	ASSERT_EQ(0, run_prog(ARGV("tcnetstat", "-V"), &r));
	EXPECT_STREQ("tcnetstat 0.1.0\n", r.out);
	expect_usage_errors(_metadata, cases, ARRAY_SIZE(cases));
}

/* Where the module is loaded (in the VM), these cases do not apply */
static bool module_loaded(void)
{
	struct tc_genl g;

	if (tc_genl_open(&g))
		return false;
	tc_genl_close(&g);
	return true;
}

TEST(module_not_loaded)
{
	char *const *const argvs[] = {
		ARGV("tcpcryptctl"),
		ARGV("tcpcryptctl", "show", "dump"),
		ARGV("tcpcryptctl", "stats", "reset"),
		ARGV("tcpcryptctl", "conns"),
		ARGV("tcnetstat"),
		ARGV("tcpcryptd", "-f", "-u", "/nonexistent/control"),
	};
	char want[128];
	size_t i;

	if (module_loaded())
		SKIP(return, "tcpcrypt.ko is loaded here");
	for (i = 0; i < ARRAY_SIZE(argvs); i++) {
		ASSERT_EQ(0, run_prog(argvs[i], &r));
		snprintf(want, sizeof(want), "%s: %s\n", argvs[i][0],
			 TC_GENL_NOT_FOUND_MSG);
		EXPECT_EQ(1, r.status);
		EXPECT_STREQ(want, r.err);
		EXPECT_STREQ("", r.out);
	}
}

TEST(tcpcryptd_self_test_runs_before_netlink)
{
	if (module_loaded())
		SKIP(return, "tcpcrypt.ko is loaded here");
	ASSERT_EQ(0, run_prog(ARGV("tcpcryptd", "-v"), &r));
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "self-test: X25519 (RFC 7748 section 6.1): ok"));
	EXPECT_NE(NULL, strstr(r.err, "self-test: 7 key-agreement tests passed"));
	EXPECT_NE(NULL, strstr(r.err, TC_GENL_NOT_FOUND_MSG));
}

TEST_HARNESS_MAIN
