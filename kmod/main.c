// SPDX-License-Identifier: GPL-2.0
/*
 * tcpcrypt.ko: opportunistic TCP encryption (RFC 8548) negotiated with
 * TCP-ENO (RFC 8547), at the netfilter boundary. This file only brings the
 * parts up in order and tears them down in reverse.
 */
#include <linux/module.h>
#include <linux/tcpcrypt.h>
#include <net/genetlink.h>
#include "conn.h"
#include "daemon.h"
#include "genl.h"
#include "hmac_kernel.h"
#include "netns.h"
#include "selftest.h"
#include "version.h"

static int __init tcpc_mod_init(void)
{
	int err;

	err = tcpc_hmac_kernel_init();
	if (err)
		return err;
	err = tcpc_conn_module_init();
	if (err)
		goto err_hmac;
	err = tcpc_selftest_run();
	if (err)
		goto err_conn;
	err = tcpc_netns_init();
	if (err)
		goto err_conn;
	/*
	 * The notifier goes before the family, so that no daemon can register
	 * and vanish before its loss can be noticed.
	 */
	err = tcpc_daemon_notifier_init();
	if (err)
		goto err_netns;
	err = tcpc_genl_init();
	if (err)
		goto err_notifier;

	pr_info("version " TCPC_VERSION " loaded, self-tests passed\n");
	return 0;

err_notifier:
	tcpc_daemon_notifier_uninit();
err_netns:
	tcpc_netns_uninit();
err_conn:
	tcpc_conn_module_exit();
err_hmac:
	tcpc_hmac_kernel_uninit();
	return err;
}

static void __exit tcpc_mod_exit(void)
{
	tcpc_genl_uninit();
	tcpc_daemon_notifier_uninit();
	tcpc_netns_uninit();
	tcpc_conn_module_exit();
	tcpc_hmac_kernel_uninit();
}

module_init(tcpc_mod_init);
module_exit(tcpc_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tcpcrypt (RFC 8548) and TCP-ENO (RFC 8547)");
MODULE_VERSION(TCPC_VERSION);
MODULE_ALIAS_GENL_FAMILY(TCPCRYPT_GENL_NAME);
