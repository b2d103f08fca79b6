// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Name tables of TEPs, AEADs and states, and tcpcryptd's -t/-a lists */
#include <string.h>

#include <linux/tcpcrypt.h>

#include "kselftest_harness.h"
#include "util.h"
#include "names.h"

TEST(tep_names_match_rfc8548_ids)
{
	EXPECT_STREQ("x25519", tc_tep_name(0x23));
	EXPECT_STREQ("x448", tc_tep_name(0x24));
	EXPECT_STREQ("p256", tc_tep_name(0x21));
	EXPECT_STREQ("p521", tc_tep_name(0x22));
	EXPECT_NULL(tc_tep_name(0x20));
	EXPECT_NULL(tc_tep_name(0x30));
	EXPECT_EQ(0x23, tc_id_of(&tc_tep_names, "x25519"));
	EXPECT_EQ(-1, tc_id_of(&tc_tep_names, "X25519"));
	EXPECT_EQ(-1, tc_id_of(&tc_tep_names, ""));
}

TEST(aead_names_match_rfc8548_ids)
{
	EXPECT_STREQ("aes128gcm", tc_aead_name(0x0001));
	EXPECT_STREQ("aes256gcm", tc_aead_name(0x0002));
	EXPECT_STREQ("chacha20poly1305", tc_aead_name(0x0010));
	EXPECT_NULL(tc_aead_name(0x0003));
	EXPECT_EQ(0x0010, tc_id_of(&tc_aead_names, "chacha20poly1305"));
	EXPECT_EQ(-1, tc_id_of(&tc_aead_names, "aes-128-gcm"));
}

TEST(state_names)
{
	EXPECT_STREQ("negotiating", tc_conn_state_name(TCPCRYPT_CONN_NEGOTIATING));
	EXPECT_STREQ("key-exchange", tc_conn_state_name(TCPCRYPT_CONN_KEY_EXCHANGE));
	EXPECT_STREQ("encrypting", tc_conn_state_name(TCPCRYPT_CONN_ENCRYPTING));
	EXPECT_STREQ("closed", tc_conn_state_name(TCPCRYPT_CONN_CLOSED));
	EXPECT_STREQ("aborted", tc_conn_state_name(TCPCRYPT_CONN_ABORTED));
	EXPECT_STREQ("?", tc_conn_state_name(0));
	EXPECT_STREQ("?", tc_conn_state_name(99));
}

TEST(list_keeps_order)
{
	unsigned int ids[16];
	char err[256];

	ASSERT_EQ(4, tc_parse_name_list(&tc_tep_names, "p521,p256,x448,x25519",
					 ids, 16, err, sizeof(err)));
	EXPECT_EQ(0x22, ids[0]);
	EXPECT_EQ(0x21, ids[1]);
	EXPECT_EQ(0x24, ids[2]);
	EXPECT_EQ(0x23, ids[3]);

	ASSERT_EQ(1, tc_parse_name_list(&tc_aead_names, "chacha20poly1305",
					 ids, 16, err, sizeof(err)));
	EXPECT_EQ(0x0010, ids[0]);
}

struct bad_list {
	const char *list;
	const char *message;
};

TEST(list_errors_name_the_problem)
{
	static const struct bad_list cases[] = {
		{ "", "empty TEP list" },
		{ "x25519,", "empty TEP name in list" },
		{ ",x25519", "empty TEP name in list" },
		{ "x25519,,p256", "empty TEP name in list" },
		{ "x25519,x25519", "TEP \"x25519\" listed twice" },
		{ "curve25519",
		  "unknown TEP \"curve25519\" (known: x25519 x448 p256 p521)" },
		{ "x25519 ", "unknown TEP \"x25519 \"" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "unknown TEP \"aaaa" },
	};
	unsigned int ids[16], i;
	char err[256];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		EXPECT_EQ(-1, tc_parse_name_list(&tc_tep_names, cases[i].list,
						 ids, 16, err, sizeof(err)));
		EXPECT_EQ(0, strncmp(err, cases[i].message,
				     strlen(cases[i].message)))
			TH_LOG("list \"%s\": got \"%s\"", cases[i].list, err);
	}
}

TEST(list_too_long)
{
	unsigned int ids[2];
	char err[256];

	EXPECT_EQ(-1, tc_parse_name_list(&tc_aead_names,
					 "aes128gcm,aes256gcm,chacha20poly1305",
					 ids, 2, err, sizeof(err)));
	EXPECT_STREQ("more than 2 AEADs in list", err);
	EXPECT_EQ(2, tc_parse_name_list(&tc_aead_names, "aes128gcm,aes256gcm",
					ids, 2, err, sizeof(err)));
}

TEST_HARNESS_MAIN
