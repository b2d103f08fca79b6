/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPC_GENL_H
#define _TCPC_GENL_H

int tcpc_genl_init(void);
void tcpc_genl_uninit(void);

#endif /* _TCPC_GENL_H */
