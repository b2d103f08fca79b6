// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for tools/vm/test/selftest.sh: loading this module triggers one
 * kernel warning, which tools/vm/run must report as a failure.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init warn_on_load_init(void)
{
	WARN(1, "tools/vm self-test: deliberate warning\n");
	return 0;
}

static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tools/vm self-test: warn once when loaded");
