// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static enum log_level max_level = LOG_LEVEL_INFO;

void log_set_verbosity(int verbosity)
{
	int level = LOG_LEVEL_INFO + verbosity;

	max_level = level > LOG_LEVEL_TRACE ? LOG_LEVEL_TRACE :
		    (enum log_level)level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const tags[] = {
		[LOG_LEVEL_ERR] = "",
		[LOG_LEVEL_WARN] = "warning: ",
		[LOG_LEVEL_INFO] = "",
		[LOG_LEVEL_DEBUG] = "debug: ",
		[LOG_LEVEL_TRACE] = "trace: ",
	};
	char line[1024];
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per line, so that lines never interleave */
	fprintf(stderr, "tcpcryptd: %s%s\n", tags[level], line);
}
