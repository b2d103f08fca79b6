/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tcpcryptd's log: one line per event on stderr, prefixed "tcpcryptd: ".
 * Errors and warnings always show, information at the default verbosity,
 * debug lines with -v, trace lines with -vv.
 */
#ifndef TCPCRYPTD_LOG_H
#define TCPCRYPTD_LOG_H

enum log_level {
	LOG_LEVEL_ERR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_TRACE,
};

/* verbosity: the number of -v options */
void log_set_verbosity(int verbosity);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_trace(...)	log_msg(LOG_LEVEL_TRACE, __VA_ARGS__)

#endif /* TCPCRYPTD_LOG_H */
