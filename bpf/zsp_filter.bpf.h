/* SPDX-License-Identifier: GPL-2.0 */
/* The -p PID and -c CGROUP_PATH filters every tool applies the same way. */
#ifndef __ZSP_FILTER_BPF_H
#define __ZSP_FILTER_BPF_H

const volatile pid_t targ_tgid;
const volatile bool filter_cg;

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_map SEC(".maps");

static __always_inline bool wanted(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (targ_tgid && (id >> 32) != targ_tgid)
		return false;
	if (filter_cg && !bpf_current_task_under_cgroup(&cgroup_map, 0))
		return false;
	return true;
}

#endif /* __ZSP_FILTER_BPF_H */
