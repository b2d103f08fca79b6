// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tcpcrypt/tcpcrypt.h>

#include "internal.h"

static pthread_mutex_t param_lock = PTHREAD_MUTEX_INITIALIZER;
/* Set by TCPCRYPT_PARAM_CTLPATH; NULL when unset */
static char *ctlpath;

TCPCRYPT_EXPORT void tcpcrypt_setparam(int param, void *val)
{
	char *copy = NULL;

	if (param != TCPCRYPT_PARAM_CTLPATH) {
		errno = EINVAL;
		return;
	}
	if (val) {
		copy = strdup(val);
		if (!copy)
			return;		/* errno is ENOMEM */
	}
	pthread_mutex_lock(&param_lock);
	free(ctlpath);
	ctlpath = copy;
	pthread_mutex_unlock(&param_lock);
}

int tc_lib_ctl_addr(struct tc_ctl_addr *a)
{
	const char *env;
	int err;

	pthread_mutex_lock(&param_lock);
	if (ctlpath) {
		err = tc_ctl_addr_parse(ctlpath, a);
		pthread_mutex_unlock(&param_lock);
		return err;
	}
	pthread_mutex_unlock(&param_lock);

	/* secure_getenv(): a set-user-ID program must not be redirected */
	env = secure_getenv("TCPCRYPT_CTLPATH");
	if (env && *env)
		return tc_ctl_addr_parse(env, a);
	return tc_ctl_addr_parse(TCPCRYPT_DEFAULT_CTLPATH, a);
}
