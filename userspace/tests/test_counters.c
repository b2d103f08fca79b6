// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The counter table behind `tcpcryptctl show`: one row for every
 * TCPCRYPT_STATS_A_* the header defines, keys derived from the attribute
 * names, and the two outputs of a TCPCRYPT_A_STATS nest built the way
 * tcpcrypt.ko builds it, from a current module and from an older one.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "kselftest_harness.h"

/* The first counters, whose dump keys scripts already rely on */
static const char *const legacy_keys[] = {
	"ipv4_in", "ipv4_out", "ipv6_in", "ipv6_out",
	"daemon_registrations", "daemon_losses",
};

static const char *key_of(int attr, char *buf)
{
	const struct tc_counter *c = tc_counter_find(attr);

	return c ? tc_counter_key(c, buf) : "(no row)";
}

typedef void (*print_fn)(FILE *f, const struct tc_stats *s);

static void print_pretty(FILE *f, const struct tc_stats *s)
{
	tc_counters_print_pretty(f, s, "    ");
}

/* What fn prints for s, in a string the caller frees */
static char *output_of(print_fn fn, const struct tc_stats *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fn(f, s);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

TEST(every_attribute_has_one_row)
{
	size_t i, rows;
	int attr;

	for (attr = TCPCRYPT_STATS_A_IPV4_IN; attr <= TCPCRYPT_STATS_A_MAX;
	     attr++) {
		for (rows = 0, i = 0; i < tc_n_counters; i++)
			rows += tc_counters[i].attr == attr;
		EXPECT_EQ(1, rows) TH_LOG("TCPCRYPT_STATS_A_* %d: %zu rows",
					  attr, rows);
	}
	for (i = 0; i < tc_n_counters; i++) {
		EXPECT_GE(tc_counters[i].attr, TCPCRYPT_STATS_A_IPV4_IN);
		EXPECT_LE(tc_counters[i].attr, TCPCRYPT_STATS_A_MAX);
	}
	EXPECT_EQ(TCPCRYPT_STATS_A_MAX - TCPCRYPT_STATS_A_IPV4_IN + 1,
		  (int)tc_n_counters);
	EXPECT_EQ(NULL, tc_counter_find(TCPCRYPT_STATS_A_PAD));
	EXPECT_EQ(NULL, tc_counter_find(TCPCRYPT_STATS_A_MAX + 1));
}

TEST(keys_are_the_attribute_names)
{
	char key[TC_COUNTER_KEY_LEN], other[TC_COUNTER_KEY_LEN];
	const char *p;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(legacy_keys); i++)
		EXPECT_STREQ(legacy_keys[i],
			     key_of(TCPCRYPT_STATS_A_IPV4_IN + (int)i, key));
	EXPECT_STREQ("eno_offered", key_of(TCPCRYPT_STATS_A_ENO_OFFERED, key));
	EXPECT_STREQ("eno_not_offered",
		     key_of(TCPCRYPT_STATS_A_ENO_NOT_OFFERED, key));
	EXPECT_STREQ("fallback_no_eno",
		     key_of(TCPCRYPT_STATS_A_FALLBACK_NO_ENO, key));
	EXPECT_STREQ("mss_clamped", key_of(TCPCRYPT_STATS_A_MSS_CLAMPED, key));
	EXPECT_STREQ("kex_failures", key_of(TCPCRYPT_STATS_A_KEX_FAILURES, key));
	EXPECT_STREQ("conn_encrypting",
		     key_of(TCPCRYPT_STATS_A_CONN_ENCRYPTING, key));
	EXPECT_STREQ("conn_table_full",
		     key_of(TCPCRYPT_STATS_A_CONN_TABLE_FULL, key));

	for (i = 0; i < tc_n_counters; i++) {
		/* shorter than the buffer: never truncated */
		EXPECT_LT(strlen(tc_counters[i].name), TC_COUNTER_KEY_LEN - 1);
		tc_counter_key(&tc_counters[i], key);
		for (p = key; *p; p++)
			EXPECT_TRUE(islower((unsigned char)*p) ||
				    isdigit((unsigned char)*p) || *p == '_')
				TH_LOG("key \"%s\"", key);
		for (j = 0; j < i; j++)
			EXPECT_STRNE(key, tc_counter_key(&tc_counters[j],
							 other));
	}
}

TEST(rows_are_complete_and_groups_adjacent)
{
	const struct tc_counter *c;
	size_t i, j;

	for (i = 0; i < tc_n_counters; i++) {
		c = &tc_counters[i];
		EXPECT_NE(0, strlen(c->group));
		EXPECT_NE(0, strlen(c->label));
		EXPECT_NE(0, strlen(c->meaning));
		EXPECT_EQ(NULL, strchr(c->meaning, '\n'));
		/* a roff request in the man page otherwise */
		EXPECT_TRUE(c->meaning[0] != '.' && c->meaning[0] != '\'');
		if (!i || !strcmp(c->group, tc_counters[i - 1].group))
			continue;
		for (j = 0; j + 1 < i; j++)
			EXPECT_STRNE(c->group, tc_counters[j].group)
				TH_LOG("group \"%s\" split by \"%s\"",
				       c->group, tc_counters[i - 1].group);
	}
}

FIXTURE(nest) {
	struct nl_msg *msg;
	struct nlattr *nest;
	struct tc_stats stats;
	char *out;
};

FIXTURE_SETUP(nest)
{
	self->msg = nlmsg_alloc();
	ASSERT_NE(NULL, self->msg);
	self->nest = nla_nest_start(self->msg, TCPCRYPT_A_STATS);
	ASSERT_NE(NULL, self->nest);
	self->out = NULL;
}

FIXTURE_TEARDOWN(nest)
{
	free(self->out);
	nlmsg_free(self->msg);
}

static int parse(struct nl_msg *m, struct nlattr *nest, struct tc_stats *s)
{
	nla_nest_end(m, nest);
	return tc_stats_parse(nest, s);
}

/* Output of fn; the fixture frees it */
static const char *print_into(struct __test_metadata *_metadata,
			      char **out, print_fn fn,
			      const struct tc_stats *s)
{
	free(*out);
	*out = output_of(fn, s);
	ASSERT_NE(NULL, *out);
	return *out;
}

TEST_F(nest, current_module_dump)
{
	char key[TC_COUNTER_KEY_LEN], line[64];
	const char *out;
	int attr;

	/* the module pads its u64s with empty PAD attributes */
	nla_put(self->msg, TCPCRYPT_STATS_A_PAD, 0, NULL);
	for (attr = TCPCRYPT_STATS_A_IPV4_IN; attr <= TCPCRYPT_STATS_A_MAX;
	     attr++)
		nla_put_u64(self->msg, attr,
			    attr == TCPCRYPT_STATS_A_CONN_TABLE_FULL ?
			    UINT64_MAX : 1000 + (uint64_t)attr);
	ASSERT_EQ(0, parse(self->msg, self->nest, &self->stats));
	EXPECT_TRUE(tc_counters_any(&self->stats));

	out = print_into(_metadata, &self->out, tc_counters_print_dump,
			 &self->stats);
	EXPECT_TRUE(starts_with(out,
				"ipv4_in 1002\nipv4_out 1003\n"
				"ipv6_in 1004\nipv6_out 1005\n"
				"daemon_registrations 1006\ndaemon_losses 1007\n"
				"eno_offered 1008\neno_answered 1009\n"))
		TH_LOG("dump:\n%s", out);
	EXPECT_NE(NULL, strstr(out, "\nfallback_no_eno 1012\n"));
	EXPECT_NE(NULL, strstr(out, "\nkex_failures 1019\n"));
	EXPECT_NE(NULL, strstr(out, "\nconn_table_full 18446744073709551615\n"));
	EXPECT_EQ(tc_n_counters, count_lines(out));
	for (attr = TCPCRYPT_STATS_A_IPV4_IN; attr <= TCPCRYPT_STATS_A_MAX;
	     attr++) {
		if (attr == TCPCRYPT_STATS_A_CONN_TABLE_FULL)
			continue;
		snprintf(line, sizeof(line), "%s %d\n", key_of(attr, key),
			 1000 + attr);
		EXPECT_NE(NULL, strstr(out, line)) TH_LOG("no \"%s\"", line);
	}
}

TEST_F(nest, current_module_pretty)
{
	static const struct { int attr; uint64_t v; } values[] = {
		{ TCPCRYPT_STATS_A_IPV4_IN, 12 },
		{ TCPCRYPT_STATS_A_IPV4_OUT, 10 },
		{ TCPCRYPT_STATS_A_ENO_OFFERED, 3 },
		{ TCPCRYPT_STATS_A_ENO_ANSWERED, 2 },
		{ TCPCRYPT_STATS_A_ENO_SUCCEEDED, 5 },
		{ TCPCRYPT_STATS_A_FALLBACK_NO_ENO, 4 },
		{ TCPCRYPT_STATS_A_CONN_ENCRYPTING, 5 },
		{ TCPCRYPT_STATS_A_CONN_CLOSED, 3 },
	};
	const struct tc_counter *c;
	char prefix[64];
	const char *out;
	size_t i, groups;
	int attr;

	/* zero for the others: present all the same */
	for (attr = TCPCRYPT_STATS_A_IPV4_IN; attr <= TCPCRYPT_STATS_A_MAX;
	     attr++) {
		uint64_t v = 0;

		for (i = 0; i < ARRAY_SIZE(values); i++)
			if (values[i].attr == attr)
				v = values[i].v;
		nla_put_u64(self->msg, attr, v);
	}
	ASSERT_EQ(0, parse(self->msg, self->nest, &self->stats));

	out = print_into(_metadata, &self->out, print_pretty, &self->stats);
	EXPECT_TRUE(starts_with(out,
				"    ipv4: 12 in, 10 out\n"
				"    ipv6: 0 in, 0 out\n"
				"    daemon: 0 registrations, 0 losses\n"
				"    eno: 3 offered, 2 answered, 5 succeeded, 0 not offered\n"))
		TH_LOG("show:\n%s", out);
	EXPECT_NE(NULL, strstr(out, "\n    fallback: 4 no eno, 0 bad eno, "));
	EXPECT_NE(NULL, strstr(out, "\n    connections: 5 encrypting, 0 aborted, 0 reset, 3 closed, "));

	/* one line per group, in table order */
	for (groups = 0, i = 0; i < tc_n_counters; i++) {
		c = &tc_counters[i];
		if (i && !strcmp(c->group, tc_counters[i - 1].group))
			continue;
		groups++;
		snprintf(prefix, sizeof(prefix), "    %s: ", c->group);
		EXPECT_NE(NULL, strstr(out, prefix)) TH_LOG("no \"%s\"", prefix);
	}
	EXPECT_EQ(groups, count_lines(out));
}

/* A module from before the TCP-ENO counters sends the first six only */
TEST_F(nest, older_module_leaves_the_rest_out)
{
	int attr;

	for (attr = TCPCRYPT_STATS_A_IPV4_IN;
	     attr <= TCPCRYPT_STATS_A_DAEMON_LOSSES; attr++)
		nla_put_u64(self->msg, attr, (uint64_t)attr * 3);
	ASSERT_EQ(0, parse(self->msg, self->nest, &self->stats));
	EXPECT_FALSE(self->stats.present[TCPCRYPT_STATS_A_ENO_OFFERED]);

	EXPECT_STREQ("ipv4_in 6\nipv4_out 9\nipv6_in 12\nipv6_out 15\n"
		     "daemon_registrations 18\ndaemon_losses 21\n",
		     print_into(_metadata, &self->out, tc_counters_print_dump,
				&self->stats));
	EXPECT_STREQ("    ipv4: 6 in, 9 out\n"
		     "    ipv6: 12 in, 15 out\n"
		     "    daemon: 18 registrations, 21 losses\n",
		     print_into(_metadata, &self->out, print_pretty,
				&self->stats));
}

TEST_F(nest, a_group_shows_what_was_sent)
{
	nla_put_u64(self->msg, TCPCRYPT_STATS_A_KEX_FAILURES, 1);
	nla_put_u64(self->msg, TCPCRYPT_STATS_A_ENO_SUCCEEDED, 5);
	nla_put_u64(self->msg, TCPCRYPT_STATS_A_ENO_OFFERED, 3);
	ASSERT_EQ(0, parse(self->msg, self->nest, &self->stats));

	EXPECT_STREQ("    eno: 3 offered, 5 succeeded\n"
		     "    kex: 1 failures\n",
		     print_into(_metadata, &self->out, print_pretty,
				&self->stats));
	EXPECT_STREQ("eno_offered 3\neno_succeeded 5\nkex_failures 1\n",
		     print_into(_metadata, &self->out, tc_counters_print_dump,
				&self->stats));
}

TEST_F(nest, empty_nest_prints_nothing)
{
	ASSERT_EQ(0, parse(self->msg, self->nest, &self->stats));
	EXPECT_FALSE(tc_counters_any(&self->stats));
	EXPECT_STREQ("", print_into(_metadata, &self->out,
				    tc_counters_print_dump, &self->stats));
	EXPECT_STREQ("", print_into(_metadata, &self->out, print_pretty,
				    &self->stats));
}

TEST_F(nest, truncated_counter_refused)
{
	nla_put_u64(self->msg, TCPCRYPT_STATS_A_IPV4_IN, 1);
	nla_put_u32(self->msg, TCPCRYPT_STATS_A_ENO_OFFERED, 1);
	EXPECT_EQ(-EBADMSG, parse(self->msg, self->nest, &self->stats));
}

/* A newer module's counters this build has no row for */
TEST_F(nest, unknown_counters_ignored)
{
	nla_put_u64(self->msg, TCPCRYPT_STATS_A_MAX + 1, 7);
	nla_put_u64(self->msg, TCPCRYPT_STATS_A_IPV6_OUT, 2);
	ASSERT_EQ(0, parse(self->msg, self->nest, &self->stats));
	EXPECT_STREQ("ipv6_out 2\n",
		     print_into(_metadata, &self->out, tc_counters_print_dump,
				&self->stats));
}

/*
 * tcpcryptctl.8 documents every key with the table's meaning. The test is
 * compiled from userspace/tests/ by absolute path: the man page is found
 * from there.
 */
static char *read_man_page(void)
{
	static const char rel[] = "/../../Documentation/man/tcpcryptctl.8";
	char path[4096], *dir, *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s", __FILE__);
	dir = strrchr(path, '/');
	if (!dir || (size_t)(dir - path) + sizeof(rel) > sizeof(path))
		return NULL;
	memcpy(dir, rel, sizeof(rel));
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

TEST(man_page_lists_every_counter)
{
	char key[TC_COUNTER_KEY_LEN], want[256];
	char *man = read_man_page();
	size_t i;

	ASSERT_NE(NULL, man) TH_LOG("cannot read tcpcryptctl.8 from %s",
				    __FILE__);
	for (i = 0; i < tc_n_counters; i++) {
		snprintf(want, sizeof(want), "\n.B %s\n%s\n",
			 tc_counter_key(&tc_counters[i], key),
			 tc_counters[i].meaning);
		EXPECT_NE(NULL, strstr(man, want))
			TH_LOG("tcpcryptctl.8 lacks:%s", want);
	}
	free(man);
}

TEST_HARNESS_MAIN
