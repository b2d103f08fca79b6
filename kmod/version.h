/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPC_VERSION_H
#define _TCPC_VERSION_H

#define TCPC_VERSION "0.1.0"

#endif /* _TCPC_VERSION_H */
