# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced in the guest: the one way the demo, the benchmark and the tests
# start a zspreempt tool, wait until it is attached, and stop it.
#
# A tool prints a line ending in "Ctrl-C to end." on stderr once every
# program is attached: that line, not a sleep, says it is ready (under TCG,
# attaching takes from seconds to a minute). Tools are found in ZSP_TOOLS
# (default $ZSP_BUILD/tools); waits scale with ZSP_TIMEOUT_SCALE.

declare -A zsp_tool_pid

# zsp_exited PID POLLS: 0 once PID has exited, polling every half second;
# 1 if it still runs after POLLS polls.
zsp_exited() {
	local i

	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.5
	done
	! kill -0 "$1" 2>/dev/null
}

# zsp_stat DIR N: field N of DIR/stat (/proc/PID or a task), counting
# the state as 1: the name before it may hold blanks.
zsp_stat() {
	sed 's/.*) //' "$1/stat" 2>/dev/null | cut -d' ' -f"$2"
}

# zsp_vcsw DIR: the voluntary context switches of DIR's task.
zsp_vcsw() {
	awk '/^voluntary_ctxt_switches/ {print $2}' "$1/status" 2>/dev/null
}

# zsp_rcu_tasks_holdouts: what a stuck fentry detach waits for. Removing
# a BPF trampoline waits for an RCU-tasks grace period, which ends once
# every task that was runnable when it began has switched voluntarily (or
# been caught in user mode by a tick). Print, as TAP comments, the
# RCU-tasks kthreads' stacks (which step each is in) and every runnable task
# whose voluntary switch count did not move in 5 s, with its stack: the
# candidates holding the grace period.
zsp_rcu_tasks_holdouts() {
	local d pid vcsw holdouts=
	local -A before

	for d in /proc/[0-9]*/task/[0-9]*; do
		[ "$(zsp_stat "$d" 1)" = R ] || continue
		before[${d##*/}]=$(zsp_vcsw "$d")
	done
	sleep 5
	for pid in $(pgrep '^rcu_tasks'); do
		echo "# $(cat /proc/$pid/comm) $pid:"
		sed 's/^/#   /' /proc/$pid/stack 2>/dev/null
	done
	for pid in "${!before[@]}"; do
		vcsw=$(zsp_vcsw /proc/$pid)
		[ "$(zsp_stat /proc/$pid 1)" = R ] && [ "$vcsw" = "${before[$pid]}" ] || continue
		echo "# runnable, no voluntary switch in 5 s: $pid $(cat /proc/$pid/comm 2>/dev/null)" \
			"vcsw $vcsw, on CPU $(zsp_stat /proc/$pid 37)," \
			"syscall $(cut -d' ' -f1 /proc/$pid/syscall 2>/dev/null)"
		sed 's/^/#   /' /proc/$pid/stack 2>/dev/null
		holdouts=1
	done
	# A running task has no stack in /proc: the console gets every CPU's.
	[ -z "$holdouts" ] || echo l > /proc/sysrq-trigger
}

# tool_start TOOL[@NAME] OUT [ARGS...]: run TOOL ARGS in the background,
# stdout to OUT and stderr to OUT.err. 0 once attached; 1 if it exited first
# or did not attach within ZSP_TOOL_ATTACH_S seconds (default 120), in which
# case it is stopped and OUT.err says why. Instances of one tool running at
# once get names (zswplat@cg, zswplat@kp): tool_stop and tool_wait take the
# same TOOL@NAME.
tool_start() {
	local tool=$1 out=$2 pid i
	local polls=$((${ZSP_TOOL_ATTACH_S:-120} * ${ZSP_TIMEOUT_SCALE:-1} * 2))

	shift 2
	"${ZSP_TOOLS:-$ZSP_BUILD/tools}/${tool%@*}" "$@" > "$out" 2> "$out.err" &
	pid=$!
	for ((i = 0; i < polls; i++)); do
		if grep -q -F "Ctrl-C to end." "$out.err" 2>/dev/null; then
			zsp_tool_pid[$tool]=$pid
			return 0
		fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.5
	done
	echo "$tool did not attach: $(head -3 "$out.err" | tr '\n' ' ')" >&2
	# A tool stuck while attaching gets 10 s to go, then SIGKILL.
	kill -INT $pid 2>/dev/null
	zsp_exited $pid 20 || kill -KILL $pid 2>/dev/null
	zsp_exited $pid 20 && wait $pid 2>/dev/null
	return 1
}

# tool_stop TOOL [SECONDS]: Ctrl-C TOOL and wait for it to report and
# detach; returns its exit status. Still running after SECONDS (default
# 120): its kernel stack is printed as TAP comments, it is killed, and the
# status is 124. 127 if TOOL was not started.
tool_stop() {
	local tool=$1 pid=${zsp_tool_pid[$1]:-}
	local polls=$((${2:-120} * ${ZSP_TIMEOUT_SCALE:-1} * 2))

	[ -n "$pid" ] || return 127
	unset "zsp_tool_pid[$tool]"
	kill -INT $pid 2>/dev/null
	if ! zsp_exited $pid $polls; then
		echo "# $tool still running $((polls / 2)) s after Ctrl-C; its kernel stack:"
		sed 's/^/#   /' /proc/$pid/stack 2>/dev/null
		zsp_rcu_tasks_holdouts
		# SIGKILL cannot end an uninterruptible wait: do not wait forever.
		kill -KILL $pid 2>/dev/null
		zsp_exited $pid 20 && wait $pid 2>/dev/null
		return 124
	fi
	wait $pid
}

# tool_wait TOOL: wait for a tool started with -d to end by itself; its
# exit status.
tool_wait() {
	local pid=${zsp_tool_pid[$1]:-}

	[ -n "$pid" ] || return 127
	unset "zsp_tool_pid[$1]"
	wait $pid
}
