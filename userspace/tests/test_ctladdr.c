// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Control socket addresses: "/path" and ":port" */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/un.h>

#include "ctladdr.h"
#include "kselftest_harness.h"

TEST(unix_path)
{
	struct tc_ctl_addr a;
	struct sockaddr_un *sun = (struct sockaddr_un *)&a.ss;
	char buf[128];

	ASSERT_EQ(0, tc_ctl_addr_parse("/run/tcpcryptd.control", &a));
	EXPECT_EQ(AF_UNIX, sun->sun_family);
	EXPECT_STREQ("/run/tcpcryptd.control", sun->sun_path);
	EXPECT_EQ(offsetof(struct sockaddr_un, sun_path) + 23, a.len);
	EXPECT_STREQ("/run/tcpcryptd.control",
		     tc_ctl_addr_str(&a, buf, sizeof(buf)));

	ASSERT_EQ(0, tc_ctl_addr_parse("relative.sock", &a));
	EXPECT_STREQ("relative.sock", sun->sun_path);
}

TEST(localhost_port)
{
	struct tc_ctl_addr a;
	struct sockaddr_in *sin = (struct sockaddr_in *)&a.ss;
	char buf[128];

	ASSERT_EQ(0, tc_ctl_addr_parse(":5000", &a));
	EXPECT_EQ(AF_INET, sin->sin_family);
	EXPECT_EQ(5000, ntohs(sin->sin_port));
	EXPECT_EQ(htonl(INADDR_LOOPBACK), sin->sin_addr.s_addr);
	EXPECT_EQ(sizeof(*sin), a.len);
	EXPECT_STREQ("127.0.0.1:5000", tc_ctl_addr_str(&a, buf, sizeof(buf)));

	ASSERT_EQ(0, tc_ctl_addr_parse(":65535", &a));
	EXPECT_EQ(65535, ntohs(sin->sin_port));
}

TEST(bad_addresses)
{
	char longpath[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	struct tc_ctl_addr a;

	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse("", &a));
	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse(NULL, &a));
	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse(":", &a));
	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse(":0", &a));
	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse(":65536", &a));
	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse(":-1", &a));
	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse(": 80", &a));
	EXPECT_EQ(-EINVAL, tc_ctl_addr_parse(":80x", &a));

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, tc_ctl_addr_parse(longpath, &a));
	/* One byte shorter fits, with its NUL */
	longpath[sizeof(longpath) - 2] = '\0';
	EXPECT_EQ(0, tc_ctl_addr_parse(longpath, &a));
}

TEST_HARNESS_MAIN
