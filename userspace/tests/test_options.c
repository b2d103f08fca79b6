// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tcpcryptd's options as the daemon sees them after parsing */
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include <linux/tcpcrypt.h>

#include "kselftest_harness.h"
#include "util.h"
#include "options.h"

static enum options_result parse(struct options *o, int argc, char **argv)
{
	/* Hide the error messages of the failing cases */
	FILE *saved = stderr;
	enum options_result res;

	stderr = fopen("/dev/null", "w");
	optind = 0;	/* glibc: start a new scan */
	res = options_parse(argc, argv, o);
	fclose(stderr);
	stderr = saved;
	return res;
}

#define PARSE(o, ...) ({ \
	char *argv[] = { "tcpcryptd", __VA_ARGS__, NULL }; \
	parse(o, ARRAY_SIZE(argv) - 1, argv); })

TEST(defaults)
{
	char *argv[] = { "tcpcryptd", NULL };
	const struct sockaddr_un *sun;
	struct options o;

	ASSERT_EQ(OPTIONS_RUN, parse(&o, 1, argv));
	ASSERT_EQ(4, o.n_teps);
	/* Increasing preference: X25519 (required) is preferred most */
	EXPECT_EQ(TCPCRYPT_TEP_P521, o.teps[0]);
	EXPECT_EQ(TCPCRYPT_TEP_P256, o.teps[1]);
	EXPECT_EQ(TCPCRYPT_TEP_X448, o.teps[2]);
	EXPECT_EQ(TCPCRYPT_TEP_X25519, o.teps[3]);
	ASSERT_EQ(3, o.n_aeads);
	EXPECT_EQ(TCPCRYPT_AEAD_AES_128_GCM, o.aeads[0]);
	EXPECT_EQ(TCPCRYPT_AEAD_AES_256_GCM, o.aeads[1]);
	EXPECT_EQ(TCPCRYPT_AEAD_CHACHA20_POLY1305, o.aeads[2]);
	sun = (const struct sockaddr_un *)&o.ctl.ss;
	EXPECT_EQ(AF_UNIX, sun->sun_family);
	EXPECT_STREQ("/run/tcpcryptd.control", sun->sun_path);
	EXPECT_TRUE(o.selftest);
	EXPECT_FALSE(o.nettest);
	EXPECT_EQ(0, o.divert_mark);
	EXPECT_EQ(0, o.verbosity);
}

TEST(every_option)
{
	const struct sockaddr_in *sin;
	struct options o;

	ASSERT_EQ(OPTIONS_RUN,
		  PARSE(&o, "-u", ":5000", "-f", "-p", "0x10", "-t",
			"x448,x25519", "-a", "chacha20poly1305", "-vv", "-F",
			"-s", "example.org:8080"));
	sin = (const struct sockaddr_in *)&o.ctl.ss;
	EXPECT_EQ(AF_INET, sin->sin_family);
	EXPECT_EQ(5000, ntohs(sin->sin_port));
	EXPECT_FALSE(o.selftest);
	EXPECT_EQ(0x10, o.divert_mark);
	ASSERT_EQ(2, o.n_teps);
	EXPECT_EQ(TCPCRYPT_TEP_X448, o.teps[0]);
	EXPECT_EQ(TCPCRYPT_TEP_X25519, o.teps[1]);
	ASSERT_EQ(1, o.n_aeads);
	EXPECT_EQ(TCPCRYPT_AEAD_CHACHA20_POLY1305, o.aeads[0]);
	EXPECT_EQ(2, o.verbosity);
	EXPECT_TRUE(o.nettest);
	EXPECT_STREQ("example.org", o.test_host);
	EXPECT_STREQ("8080", o.test_port);
}

struct target_case {
	const char *arg, *host, *port;
};

TEST(self_test_targets)
{
	static const struct target_case cases[] = {
		{ "example.org", "example.org", "80" },
		{ "192.0.2.1:443", "192.0.2.1", "443" },
		{ "[2001:db8::1]:8443", "2001:db8::1", "8443" },
		{ "[2001:db8::1]", "2001:db8::1", "80" },
		{ "2001:db8::1", "2001:db8::1", "80" },
		{ "host:65535", "host", "65535" },
	};
	struct options o;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(OPTIONS_RUN, PARSE(&o, "-s", (char *)cases[i].arg));
		EXPECT_STREQ(cases[i].host, o.test_host);
		EXPECT_STREQ(cases[i].port, o.test_port);
	}
}

TEST(bad_self_test_targets)
{
	static const char *const bad[] = {
		"", "host:", ":80", "host:0", "host:65536", "host:http",
		"[2001:db8::1", "[2001:db8::1]443", "[]:80",
	};
	struct options o;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(OPTIONS_USAGE, PARSE(&o, "-s", (char *)bad[i]))
			TH_LOG("-s \"%s\" accepted", bad[i]);
}

TEST(marks)
{
	struct options o;

	ASSERT_EQ(OPTIONS_RUN, PARSE(&o, "-p", "4294967295"));
	EXPECT_EQ(0xffffffff, o.divert_mark);
	ASSERT_EQ(OPTIONS_RUN, PARSE(&o, "-p", "0"));
	EXPECT_EQ(0, o.divert_mark);
	EXPECT_EQ(OPTIONS_USAGE, PARSE(&o, "-p", "4294967296"));
	EXPECT_EQ(OPTIONS_USAGE, PARSE(&o, "-p", "-1"));
	EXPECT_EQ(OPTIONS_USAGE, PARSE(&o, "-p", ""));
}

TEST(help_and_version_stop_early)
{
	struct options o;
	FILE *saved = stdout;

	stdout = fopen("/dev/null", "w");
	EXPECT_EQ(OPTIONS_EXIT, PARSE(&o, "-h", "-t", "bogus"));
	EXPECT_EQ(OPTIONS_EXIT, PARSE(&o, "-V"));
	fclose(stdout);
	stdout = saved;
}

TEST_HARNESS_MAIN
