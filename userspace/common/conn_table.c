// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

#include "conn_table.h"
#include "names.h"
#include "util.h"

#define ROW_FMT "%-5s %-23s %-23s %-4s %-6s %-16s %-12s %s"

const char *tc_format_endpoint(int family, const uint8_t *addr,
			       uint16_t port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ip, port);
	else
		snprintf(buf, len, "%s:%u", ip, port);
	return buf;
}

void tc_conn_format_header(char *buf, size_t len)
{
	snprintf(buf, len, ROW_FMT, "Proto", "Local address",
		 "Foreign address", "Role", "TEP", "AEAD", "State", "SID");
}

static const char *role_str(uint8_t role)
{
	switch (role) {
	case TCPCRYPT_ROLE_A:
		return "A";
	case TCPCRYPT_ROLE_B:
		return "B";
	default:
		return "-";
	}
}

/* A name from the table, "0x.." for an id we have no name for, "-" for 0 */
static const char *id_str(const char *name, unsigned int id, int width,
			  char *buf, size_t len)
{
	if (!id)
		return "-";
	if (name)
		return name;
	snprintf(buf, len, "0x%0*x", width, id);
	return buf;
}

void tc_conn_format_row(const struct tc_conn *c, char *buf, size_t len)
{
	char local[TC_ENDPOINT_LEN], remote[TC_ENDPOINT_LEN];
	char sid[2 * TCPCRYPT_SESSID_LEN + 1] = "-";
	char tep[8], aead[8];

	tc_format_endpoint(c->family, c->local_addr, c->local_port, local,
			   sizeof(local));
	tc_format_endpoint(c->family, c->remote_addr, c->remote_port, remote,
			   sizeof(remote));
	if (c->has_sessid)
		tc_hex(c->sessid, TCPCRYPT_SESSID_LEN, sid, true);

	snprintf(buf, len, ROW_FMT, c->family == AF_INET6 ? "tcp6" : "tcp",
		 local, remote, role_str(c->role),
		 id_str(tc_tep_name(c->tep), c->tep, 2, tep, sizeof(tep)),
		 id_str(tc_aead_name(c->aead), c->aead, 4, aead, sizeof(aead)),
		 c->state ? tc_conn_state_name(c->state) : "-", sid);
}

static int print_row(const struct tc_conn *c, void *arg)
{
	char row[TC_CONN_ROW_LEN];

	tc_conn_format_row(c, row, sizeof(row));
	fprintf(arg, "%s\n", row);
	return 0;
}

int tc_conn_table_print(FILE *f, struct tc_genl *g)
{
	char header[TC_CONN_ROW_LEN];

	tc_conn_format_header(header, sizeof(header));
	fprintf(f, "%s\n", header);
	return tc_conn_dump(g, print_row, f);
}
