/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPC_SELFTEST_H
#define _TCPC_SELFTEST_H

int tcpc_selftest_run(void);
int tcpc_seg_selftest(void);

#endif /* _TCPC_SELFTEST_H */
