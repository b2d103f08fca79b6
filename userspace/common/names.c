// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>

#include <linux/tcpcrypt.h>

#include "names.h"
#include "util.h"

static const struct tc_name teps[] = {
	{ "x25519", TCPCRYPT_TEP_X25519 },
	{ "x448", TCPCRYPT_TEP_X448 },
	{ "p256", TCPCRYPT_TEP_P256 },
	{ "p521", TCPCRYPT_TEP_P521 },
};

static const struct tc_name aeads[] = {
	{ "aes128gcm", TCPCRYPT_AEAD_AES_128_GCM },
	{ "aes256gcm", TCPCRYPT_AEAD_AES_256_GCM },
	{ "chacha20poly1305", TCPCRYPT_AEAD_CHACHA20_POLY1305 },
};

static const struct tc_name states[] = {
	{ "negotiating", TCPCRYPT_CONN_NEGOTIATING },
	{ "key-exchange", TCPCRYPT_CONN_KEY_EXCHANGE },
	{ "encrypting", TCPCRYPT_CONN_ENCRYPTING },
	{ "closed", TCPCRYPT_CONN_CLOSED },
	{ "aborted", TCPCRYPT_CONN_ABORTED },
};

const struct tc_name_table tc_tep_names = {
	.what = "TEP",
	.names = teps,
	.count = ARRAY_SIZE(teps),
};

const struct tc_name_table tc_aead_names = {
	.what = "AEAD",
	.names = aeads,
	.count = ARRAY_SIZE(aeads),
};

static const struct tc_name_table state_names = {
	.what = "state",
	.names = states,
	.count = ARRAY_SIZE(states),
};

const char *tc_name_of(const struct tc_name_table *t, unsigned int id)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (t->names[i].id == id)
			return t->names[i].name;
	return NULL;
}

int tc_id_of(const struct tc_name_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (!strcmp(t->names[i].name, name))
			return (int)t->names[i].id;
	return -1;
}

const char *tc_tep_name(unsigned int id)
{
	return tc_name_of(&tc_tep_names, id);
}

const char *tc_aead_name(unsigned int id)
{
	return tc_name_of(&tc_aead_names, id);
}

const char *tc_conn_state_name(unsigned int state)
{
	const char *name = tc_name_of(&state_names, state);

	return name ? name : "?";
}

/* "x25519 x448 p256 p521", for the error message of an unknown name */
static void known_names(const struct tc_name_table *t, char *buf, size_t len)
{
	size_t i, used = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < t->count && used < len; i++) {
		n = snprintf(buf + used, len - used, "%s%s", i ? " " : "",
			     t->names[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int parse_item(const struct tc_name_table *t, const char *item,
		      size_t item_len, unsigned int *ids, int count,
		      char *err, size_t errlen)
{
	char name[32], known[128];
	int id, i;

	if (!item_len) {
		snprintf(err, errlen, "empty %s name in list", t->what);
		return -1;
	}
	if (item_len >= sizeof(name)) {
		snprintf(err, errlen, "unknown %s \"%.*s\"", t->what,
			 (int)item_len, item);
		return -1;
	}
	memcpy(name, item, item_len);
	name[item_len] = '\0';

	id = tc_id_of(t, name);
	if (id < 0) {
		known_names(t, known, sizeof(known));
		snprintf(err, errlen, "unknown %s \"%s\" (known: %s)", t->what,
			 name, known);
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (ids[i] == (unsigned int)id) {
			snprintf(err, errlen, "%s \"%s\" listed twice",
				 t->what, name);
			return -1;
		}
	}
	return id;
}

int tc_parse_name_list(const struct tc_name_table *t, const char *list,
		       unsigned int *ids, size_t max, char *err, size_t errlen)
{
	const char *item = list, *comma;
	size_t item_len;
	int count = 0, id;

	if (!*list) {
		snprintf(err, errlen, "empty %s list", t->what);
		return -1;
	}
	for (;;) {
		comma = strchr(item, ',');
		item_len = comma ? (size_t)(comma - item) : strlen(item);
		id = parse_item(t, item, item_len, ids, count, err, errlen);
		if (id < 0)
			return -1;
		if ((size_t)count == max) {
			snprintf(err, errlen, "more than %zu %ss in list", max,
				 t->what);
			return -1;
		}
		ids[count++] = (unsigned int)id;
		if (!comma)
			return count;
		item = comma + 1;
	}
}
