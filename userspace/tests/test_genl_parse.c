// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Parsing what the module sends: connection records built the way
 * tcpcrypt.ko builds them, and the malformed ones the parser must refuse.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/errno.h>

#include "genl_ops.h"
#include "kselftest_harness.h"

FIXTURE(conn) {
	struct nl_msg *msg;
	struct nlattr *nest;
};

FIXTURE_SETUP(conn)
{
	self->msg = nlmsg_alloc();
	ASSERT_NE(NULL, self->msg);
	self->nest = nla_nest_start(self->msg, TCPCRYPT_A_CONN);
	ASSERT_NE(NULL, self->nest);
}

FIXTURE_TEARDOWN(conn)
{
	nlmsg_free(self->msg);
}

static void put_tuple(struct nl_msg *m, int family, int alen)
{
	const uint8_t local[16] = { 10, 0, 0, 1 }, remote[16] = { 10, 0, 0, 2 };

	nla_put_u8(m, TCPCRYPT_CONN_A_FAMILY, (uint8_t)family);
	nla_put(m, TCPCRYPT_CONN_A_LOCAL_ADDR, alen, local);
	nla_put(m, TCPCRYPT_CONN_A_REMOTE_ADDR, alen, remote);
	nla_put_u16(m, TCPCRYPT_CONN_A_LOCAL_PORT, 40000);
	nla_put_u16(m, TCPCRYPT_CONN_A_REMOTE_PORT, 80);
}

TEST_F(conn, full_record)
{
	uint8_t sid[TCPCRYPT_SESSID_LEN];
	struct tc_conn c;

	memset(sid, 0x5a, sizeof(sid));
	put_tuple(self->msg, AF_INET, 4);
	nla_put_u8(self->msg, TCPCRYPT_CONN_A_ROLE, TCPCRYPT_ROLE_B);
	nla_put_u8(self->msg, TCPCRYPT_CONN_A_TEP, TCPCRYPT_TEP_P256);
	nla_put_u16(self->msg, TCPCRYPT_CONN_A_AEAD, TCPCRYPT_AEAD_AES_256_GCM);
	nla_put_u8(self->msg, TCPCRYPT_CONN_A_STATE, TCPCRYPT_CONN_ENCRYPTING);
	nla_put_u64(self->msg, TCPCRYPT_CONN_A_BYTES_IN, 1ULL << 40);
	nla_put_u64(self->msg, TCPCRYPT_CONN_A_BYTES_OUT, 7);
	nla_put(self->msg, TCPCRYPT_CONN_A_SESSID, sizeof(sid), sid);
	nla_nest_end(self->msg, self->nest);

	ASSERT_EQ(0, tc_conn_parse(self->nest, &c));
	EXPECT_EQ(AF_INET, c.family);
	EXPECT_EQ(40000, c.local_port);
	EXPECT_EQ(80, c.remote_port);
	EXPECT_EQ(1, c.local_addr[3]);
	EXPECT_EQ(2, c.remote_addr[3]);
	EXPECT_EQ(TCPCRYPT_ROLE_B, c.role);
	EXPECT_EQ(TCPCRYPT_TEP_P256, c.tep);
	EXPECT_EQ(TCPCRYPT_AEAD_AES_256_GCM, c.aead);
	EXPECT_EQ(TCPCRYPT_CONN_ENCRYPTING, c.state);
	EXPECT_EQ(1ULL << 40, c.bytes_in);
	EXPECT_EQ(7, c.bytes_out);
	EXPECT_TRUE(c.has_sessid);
	EXPECT_EQ(0, memcmp(sid, c.sessid, sizeof(sid)));
}

TEST_F(conn, tuple_only_record)
{
	struct tc_conn c;

	put_tuple(self->msg, AF_INET6, 16);
	nla_nest_end(self->msg, self->nest);
	ASSERT_EQ(0, tc_conn_parse(self->nest, &c));
	EXPECT_EQ(AF_INET6, c.family);
	EXPECT_FALSE(c.has_sessid);
	EXPECT_EQ(TC_ROLE_UNKNOWN, c.role);
	EXPECT_EQ(0, c.state);
}

TEST_F(conn, address_length_must_match_family)
{
	struct tc_conn c;

	put_tuple(self->msg, AF_INET, 16);
	nla_nest_end(self->msg, self->nest);
	EXPECT_EQ(-EBADMSG, tc_conn_parse(self->nest, &c));
}

TEST_F(conn, unknown_family_refused)
{
	struct tc_conn c;

	put_tuple(self->msg, AF_UNIX, 4);
	nla_nest_end(self->msg, self->nest);
	EXPECT_EQ(-EBADMSG, tc_conn_parse(self->nest, &c));
}

TEST_F(conn, missing_port_refused)
{
	const uint8_t a[4] = { 10, 0, 0, 1 };
	struct tc_conn c;

	nla_put_u8(self->msg, TCPCRYPT_CONN_A_FAMILY, AF_INET);
	nla_put(self->msg, TCPCRYPT_CONN_A_LOCAL_ADDR, 4, a);
	nla_put(self->msg, TCPCRYPT_CONN_A_REMOTE_ADDR, 4, a);
	nla_put_u16(self->msg, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
	nla_nest_end(self->msg, self->nest);
	EXPECT_EQ(-EBADMSG, tc_conn_parse(self->nest, &c));
}

TEST_F(conn, short_session_id_refused)
{
	uint8_t sid[TCPCRYPT_SESSID_LEN - 1] = { 0 };
	struct tc_conn c;

	put_tuple(self->msg, AF_INET, 4);
	nla_put(self->msg, TCPCRYPT_CONN_A_SESSID, sizeof(sid), sid);
	nla_nest_end(self->msg, self->nest);
	EXPECT_EQ(-EBADMSG, tc_conn_parse(self->nest, &c));
}

TEST_F(conn, truncated_integer_refused)
{
	uint8_t one = 1;
	struct tc_conn c;

	put_tuple(self->msg, AF_INET, 4);
	nla_put(self->msg, TCPCRYPT_CONN_A_AEAD, 1, &one);
	nla_nest_end(self->msg, self->nest);
	EXPECT_EQ(-EBADMSG, tc_conn_parse(self->nest, &c));
}

TEST_F(conn, unknown_attributes_ignored)
{
	struct tc_conn c;

	put_tuple(self->msg, AF_INET, 4);
	nla_put_u32(self->msg, TCPCRYPT_CONN_A_MAX + 5, 1);
	nla_nest_end(self->msg, self->nest);
	EXPECT_EQ(0, tc_conn_parse(self->nest, &c));
}

TEST(libnl_errors_become_errnos)
{
	EXPECT_EQ(ENOENT, tc_nlerr_to_errno(-NLE_OBJ_NOTFOUND));
	EXPECT_EQ(EPERM, tc_nlerr_to_errno(-NLE_PERM));
	EXPECT_EQ(ENOMEM, tc_nlerr_to_errno(NLE_NOMEM));
	EXPECT_EQ(EAGAIN, tc_nlerr_to_errno(-NLE_DUMP_INTR));
	EXPECT_EQ(EIO, tc_nlerr_to_errno(-NLE_FAILURE));
}

TEST(error_strings_carry_the_kernel_message)
{
	struct tc_genl g = { 0 };
	char buf[512];

	EXPECT_STREQ("Device or resource busy",
		     tc_genl_strerror(&g, -EBUSY, buf, sizeof(buf)));
	strcpy(g.extack, "another tcpcryptd is registered");
	EXPECT_STREQ("Device or resource busy (another tcpcryptd is registered)",
		     tc_genl_strerror(&g, -EBUSY, buf, sizeof(buf)));
	EXPECT_STREQ(TC_GENL_NOT_FOUND_MSG,
		     tc_genl_open_strerror(-ENOENT, buf, sizeof(buf)));
	EXPECT_STREQ("generic netlink family \"tcpcrypt\" not found (is tcpcrypt.ko loaded?)",
		     TC_GENL_NOT_FOUND_MSG);
}

TEST_HARNESS_MAIN
