/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPC_HOOKS_H
#define _TCPC_HOOKS_H

struct net;

int tcpc_hooks_register(struct net *net);
void tcpc_hooks_unregister(struct net *net);

#endif /* _TCPC_HOOKS_H */
