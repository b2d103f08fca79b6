/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The connection table printed by tcnetstat and `tcpcryptctl conns`:
 *
 *   Proto Local address  Foreign address  Role TEP  AEAD  State  SID
 *
 * one whitespace-separated row per connection, IPv6 endpoints as
 * [addr]:port, and the session ID (66 upper-case hex digits, or "-") as the
 * last field, so that scripts can take it with awk '{print $NF}' as users
 * of the original tcnetstat did.
 */
#ifndef TC_CONN_TABLE_H
#define TC_CONN_TABLE_H

#include <stdio.h>
#include <netinet/in.h>

#include "genl_ops.h"

/* "[" INET6_ADDRSTRLEN "]:65535" */
#define TC_ENDPOINT_LEN		(INET6_ADDRSTRLEN + 8)
#define TC_CONN_ROW_LEN		256

/* "192.0.2.1:80" or "[2001:db8::1]:443"; returns buf */
const char *tc_format_endpoint(int family, const uint8_t *addr,
			       uint16_t port, char *buf, size_t len);

void tc_conn_format_header(char *buf, size_t len);
void tc_conn_format_row(const struct tc_conn *c, char *buf, size_t len);

/* Dump the module's table to f, header first. Returns 0 or -errno. */
int tc_conn_table_print(FILE *f, struct tc_genl *g);

#endif /* TC_CONN_TABLE_H */
