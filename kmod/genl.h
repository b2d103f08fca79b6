/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPC_GENL_H
#define _TCPC_GENL_H

#include <net/genetlink.h>

/* The "tcpcrypt" family, for the messages the module sends (kex.c) */
extern struct genl_family tcpc_genl_family;

int tcpc_genl_init(void);
void tcpc_genl_uninit(void);

#endif /* _TCPC_GENL_H */
