// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_prog.h"

/* Read all of fd into buf (NUL-terminated, truncated to fit) */
static void slurp(int fd, char *buf, size_t len)
{
	size_t used = 0;
	char sink[256];
	ssize_t n;

	for (;;) {
		if (used + 1 < len)
			n = read(fd, buf + used, len - 1 - used);
		else
			n = read(fd, sink, sizeof(sink));
		if (n <= 0)
			break;
		if (used + 1 < len)
			used += (size_t)n;
	}
	buf[used] = '\0';
	close(fd);
}

int run_prog(char *const argv[], struct prog_result *r)
{
	char path[512];
	int out[2], err[2], st;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", TC_BINDIR, argv[0]);
	if (pipe(out) || pipe(err))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execv(path, argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* Outputs are small: stdout fits in the pipe while we read stderr */
	slurp(err[0], r->err, sizeof(r->err));
	slurp(out[0], r->out, sizeof(r->out));
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return 0;
}
