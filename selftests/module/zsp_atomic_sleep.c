// SPDX-License-Identifier: GPL-2.0
/*
 * Negative control for zspsleep: writing to
 * /sys/kernel/debug/zsp_atomic_sleep/trigger sleeps with preemption
 * disabled, which a debug kernel reports as "sleeping function called from
 * invalid context" and "scheduling while atomic". Test use only.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>

static struct dentry *dir;
static DEFINE_MUTEX(zsp_mutex);

static noinline void zsp_sleep_in_atomic(void)
{
	preempt_disable();
	/* might_sleep() inside mutex_lock(): "sleeping function called ..." */
	mutex_lock(&zsp_mutex);
	mutex_unlock(&zsp_mutex);
	/* A real sleep: "scheduling while atomic" */
	msleep(20);
	/* The scheduler's report reset the preempt count; do not underflow it. */
	if (preempt_count())
		preempt_enable();
}

static ssize_t trigger_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	pr_info("zsp_atomic_sleep: sleeping with preemption disabled on purpose\n");
	zsp_sleep_in_atomic();
	return count;
}

static const struct file_operations trigger_fops = {
	.owner = THIS_MODULE,
	.write = trigger_write,
};

static int __init zsp_atomic_sleep_init(void)
{
	dir = debugfs_create_dir("zsp_atomic_sleep", NULL);
	debugfs_create_file("trigger", 0200, dir, NULL, &trigger_fops);
	return 0;
}

static void __exit zsp_atomic_sleep_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(zsp_atomic_sleep_init);
module_exit(zsp_atomic_sleep_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sleep in atomic context on demand (zspsleep negative control)");
