// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The rows tcnetstat and `tcpcryptctl conns` print */
#include <string.h>
#include <sys/socket.h>

#include <linux/tcpcrypt.h>

#include "conn_table.h"
#include "kselftest_harness.h"

/* The n-th whitespace-separated field of s (0-based), or "" */
static const char *field(const char *s, int n, char *buf, size_t len)
{
	size_t l;

	for (;;) {
		s += strspn(s, " ");
		l = strcspn(s, " ");
		if (!n-- || !l)
			break;
		s += l;
	}
	if (l >= len)
		l = len - 1;
	memcpy(buf, s, l);
	buf[l] = '\0';
	return buf;
}

static int count_fields(const char *s)
{
	char buf[128];
	int n = 0;

	while (field(s, n, buf, sizeof(buf))[0])
		n++;
	return n;
}

static struct tc_conn encrypting_v4(void)
{
	struct tc_conn c = {
		.family = AF_INET, .local_port = 48512, .remote_port = 443,
		.local_addr = { 192, 0, 2, 10 },
		.remote_addr = { 198, 51, 100, 7 },
		.role = TCPCRYPT_ROLE_A, .tep = TCPCRYPT_TEP_X25519,
		.aead = TCPCRYPT_AEAD_AES_128_GCM,
		.state = TCPCRYPT_CONN_ENCRYPTING, .has_sessid = true,
	};
	unsigned int i;

	for (i = 0; i < TCPCRYPT_SESSID_LEN; i++)
		c.sessid[i] = (uint8_t)(0x23 + i);
	return c;
}

TEST(header_names_the_columns)
{
	char h[TC_CONN_ROW_LEN], buf[64];

	tc_conn_format_header(h, sizeof(h));
	EXPECT_STREQ("Proto", field(h, 0, buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(h, "Local address"));
	EXPECT_NE(NULL, strstr(h, "Foreign address"));
	EXPECT_STREQ("SID", field(h, count_fields(h) - 1, buf, sizeof(buf)));
}

TEST(ipv4_row)
{
	struct tc_conn c = encrypting_v4();
	char row[TC_CONN_ROW_LEN], buf[128];

	tc_conn_format_row(&c, row, sizeof(row));
	ASSERT_EQ(8, count_fields(row));
	EXPECT_STREQ("tcp", field(row, 0, buf, sizeof(buf)));
	EXPECT_STREQ("192.0.2.10:48512", field(row, 1, buf, sizeof(buf)));
	EXPECT_STREQ("198.51.100.7:443", field(row, 2, buf, sizeof(buf)));
	EXPECT_STREQ("A", field(row, 3, buf, sizeof(buf)));
	EXPECT_STREQ("x25519", field(row, 4, buf, sizeof(buf)));
	EXPECT_STREQ("aes128gcm", field(row, 5, buf, sizeof(buf)));
	EXPECT_STREQ("encrypting", field(row, 6, buf, sizeof(buf)));
}

TEST(session_id_is_the_last_field)
{
	struct tc_conn c = encrypting_v4();
	char row[TC_CONN_ROW_LEN], buf[128];

	tc_conn_format_row(&c, row, sizeof(row));
	field(row, 7, buf, sizeof(buf));
	EXPECT_EQ(66, strlen(buf));
	EXPECT_EQ(0, strncmp(buf, "2324252627", 10));
	EXPECT_STREQ("4243", buf + 62);
	EXPECT_EQ(strlen(buf), strspn(buf, "0123456789ABCDEF"));
	/* Nothing after it */
	EXPECT_EQ(0, strcmp(row + strlen(row) - 66, buf));
}

TEST(ipv6_row_in_brackets)
{
	struct tc_conn c = encrypting_v4();
	char row[TC_CONN_ROW_LEN], buf[128];

	c.family = AF_INET6;
	memset(c.local_addr, 0, 16);
	memset(c.remote_addr, 0, 16);
	c.local_addr[0] = 0x20;
	c.local_addr[1] = 0x01;
	c.local_addr[2] = 0x0d;
	c.local_addr[3] = 0xb8;
	c.local_addr[15] = 1;
	memcpy(c.remote_addr, c.local_addr, 16);
	c.remote_addr[15] = 2;
	c.role = TCPCRYPT_ROLE_B;
	tc_conn_format_row(&c, row, sizeof(row));
	ASSERT_EQ(8, count_fields(row));
	EXPECT_STREQ("tcp6", field(row, 0, buf, sizeof(buf)));
	EXPECT_STREQ("[2001:db8::1]:48512", field(row, 1, buf, sizeof(buf)));
	EXPECT_STREQ("[2001:db8::2]:443", field(row, 2, buf, sizeof(buf)));
	EXPECT_STREQ("B", field(row, 3, buf, sizeof(buf)));
}

TEST(negotiating_row_has_placeholders)
{
	struct tc_conn c = encrypting_v4();
	char row[TC_CONN_ROW_LEN], buf[128];

	c.has_sessid = false;
	c.tep = 0;
	c.aead = 0;
	c.role = 0xff;
	c.state = TCPCRYPT_CONN_NEGOTIATING;
	tc_conn_format_row(&c, row, sizeof(row));
	ASSERT_EQ(8, count_fields(row));
	EXPECT_STREQ("-", field(row, 3, buf, sizeof(buf)));
	EXPECT_STREQ("-", field(row, 4, buf, sizeof(buf)));
	EXPECT_STREQ("-", field(row, 5, buf, sizeof(buf)));
	EXPECT_STREQ("negotiating", field(row, 6, buf, sizeof(buf)));
	EXPECT_STREQ("-", field(row, 7, buf, sizeof(buf)));
}

TEST(unknown_ids_in_hex)
{
	struct tc_conn c = encrypting_v4();
	char row[TC_CONN_ROW_LEN], buf[128];

	c.tep = 0x30;
	c.aead = 0x0123;
	c.state = 77;
	tc_conn_format_row(&c, row, sizeof(row));
	EXPECT_STREQ("0x30", field(row, 4, buf, sizeof(buf)));
	EXPECT_STREQ("0x0123", field(row, 5, buf, sizeof(buf)));
	EXPECT_STREQ("?", field(row, 6, buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
