// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ctlproto.h"
#include "names.h"
#include "options.h"
#include "util.h"

static const char *const prog = "tcpcryptd";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-h] [-V] [-v]... [-u socket_address] [-s host[:port]] [-f]\n"
		"                 [-p mark] [-t teplist] [-a aeadlist] [-F]\n"
		"\n"
		"tcpcrypt (RFC 8548) daemon: registers with tcpcrypt.ko in its network\n"
		"namespace, does the key agreement, and answers applications (libtcpcrypt)\n"
		"on its control socket.\n"
		"\n"
		"  -u socket_address  control socket: /path (unix) or :port (127.0.0.1)\n"
		"                     (default %s)\n"
		"  -s host[:port]     after start-up, connect to host (port %s) and report\n"
		"                     whether the connection was protected\n"
		"  -f                 skip the start-up self-test of the key agreement\n"
		"  -p mark            offer tcpcrypt only to connections whose packets carry\n"
		"                     this firewall mark (0: all connections; default 0)\n"
		"  -t teplist         TEPs to announce, increasing preference\n"
		"                     (default %s)\n"
		"  -a aeadlist        AEADs to announce, decreasing preference\n"
		"                     (default %s)\n"
		"  -F                 stay in the foreground (the default)\n"
		"  -v                 more log output; repeat for more\n"
		"  -V                 show the version\n"
		"  -h                 show this help\n",
		prog, TC_CTL_DEFAULT_PATH, DEFAULT_TEST_PORT, DEFAULT_TEPS,
		DEFAULT_AEADS);
}

static void bad_value(char opt, const char *what)
{
	fprintf(stderr, "%s: -%c: %s\n", prog, opt, what);
	fprintf(stderr, "Try '%s -h' for more information.\n", prog);
}

static int parse_teps(const char *list, struct options *o)
{
	unsigned int ids[TCPCRYPT_MAX_TEPS];
	char err[256];
	int n, i;

	n = tc_parse_name_list(&tc_tep_names, list, ids, TCPCRYPT_MAX_TEPS,
			       err, sizeof(err));
	if (n < 0) {
		bad_value('t', err);
		return -1;
	}
	for (i = 0; i < n; i++)
		o->teps[i] = (uint8_t)ids[i];
	o->n_teps = (unsigned int)n;
	return 0;
}

static int parse_aeads(const char *list, struct options *o)
{
	unsigned int ids[TCPCRYPT_MAX_AEADS];
	char err[256];
	int n, i;

	n = tc_parse_name_list(&tc_aead_names, list, ids, TCPCRYPT_MAX_AEADS,
			       err, sizeof(err));
	if (n < 0) {
		bad_value('a', err);
		return -1;
	}
	for (i = 0; i < n; i++)
		o->aeads[i] = (uint16_t)ids[i];
	o->n_aeads = (unsigned int)n;
	return 0;
}

/*
 * host, host:port, [v6addr], [v6addr]:port, or a bare IPv6 address (two
 * or more colons, default port).
 */
static int parse_target(const char *arg, struct options *o)
{
	const char *host = arg, *port = NULL, *end, *colon = strchr(arg, ':');
	unsigned long num = 80;
	size_t host_len;

	if (arg[0] == '[') {
		end = strchr(arg, ']');
		if (!end || (end[1] && end[1] != ':'))
			return -EINVAL;
		host = arg + 1;
		host_len = (size_t)(end - host);
		if (end[1])
			port = end + 2;
	} else if (colon && !strchr(colon + 1, ':')) {
		host_len = (size_t)(colon - arg);
		port = colon + 1;
	} else {
		host_len = strlen(arg);
	}
	if (!host_len || host_len >= sizeof(o->test_host))
		return -EINVAL;
	if (port && (tc_parse_uint(port, 65535, &num) || !num))
		return -EINVAL;
	memcpy(o->test_host, host, host_len);
	o->test_host[host_len] = '\0';
	snprintf(o->test_port, sizeof(o->test_port), "%u", (uint16_t)num);
	o->nettest = true;
	return 0;
}

static int parse_ctl(const char *spec, struct options *o)
{
	int err = tc_ctl_addr_parse(spec, &o->ctl);

	if (err == -ENAMETOOLONG) {
		bad_value('u', "socket path too long");
		return -1;
	}
	if (err) {
		bad_value('u', "expected /path/to/socket or :port (1-65535)");
		return -1;
	}
	o->ctl_spec = spec;
	return 0;
}

static int parse_mark(const char *arg, struct options *o)
{
	unsigned long mark;

	if (tc_parse_uint(arg, UINT32_MAX, &mark)) {
		bad_value('p', "expected a firewall mark (0 to 0xffffffff)");
		return -1;
	}
	o->divert_mark = (uint32_t)mark;
	return 0;
}

static int parse_one(int opt, const char *arg, struct options *o)
{
	switch (opt) {
	case 'u':
		return parse_ctl(arg, o);
	case 's':
		if (parse_target(arg, o)) {
			bad_value('s', "expected host[:port]");
			return -1;
		}
		return 0;
	case 'f':
		o->selftest = false;
		return 0;
	case 'p':
		return parse_mark(arg, o);
	case 't':
		return parse_teps(arg, o);
	case 'a':
		return parse_aeads(arg, o);
	case 'F':
		return 0;
	case 'v':
		o->verbosity++;
		return 0;
	default:
		return -1;
	}
}

/* getopt's '?' and ':', said our way; arg is the offending word */
static void bad_option(int opt, const char *arg)
{
	bool long_opt = !strncmp(arg, "--", 2);

	if (opt == ':' && !long_opt)
		fprintf(stderr, "%s: option -%c needs an argument\n", prog,
			optopt);
	else if (opt == ':')
		fprintf(stderr, "%s: option %s needs an argument\n", prog,
			arg);
	else if (!long_opt)
		fprintf(stderr, "%s: invalid option -%c\n", prog, optopt);
	else
		fprintf(stderr, "%s: invalid option %s\n", prog, arg);
	fprintf(stderr, "Try '%s -h' for more information.\n", prog);
}

enum options_result options_parse(int argc, char *argv[], struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->selftest = true;
	if (parse_teps(DEFAULT_TEPS, o) || parse_aeads(DEFAULT_AEADS, o) ||
	    parse_ctl(TC_CTL_DEFAULT_PATH, o))
		return OPTIONS_USAGE;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hVvu:s:fp:t:a:F", longopts,
				  NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return OPTIONS_EXIT;
		}
		if (opt == 'V') {
			printf("%s %s\n", prog, TC_TOOLS_VERSION);
			return OPTIONS_EXIT;
		}
		if (opt == '?' || opt == ':') {
			bad_option(opt, argv[optind - 1]);
			return OPTIONS_USAGE;
		}
		if (parse_one(opt, optarg, o))
			return OPTIONS_USAGE;
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", prog,
			argv[optind]);
		fprintf(stderr, "Try '%s -h' for more information.\n", prog);
		return OPTIONS_USAGE;
	}
	return OPTIONS_RUN;
}
