# SPDX-License-Identifier: GPL-2.0
"""TAP results from Python check scripts (selftests/tap.sh, pycheck): one
line per check, unnumbered; the shell side numbers them into its test."""
import sys


def tap(ok, desc):
    """Print one result: ok or not ok, and what was checked."""
    print(("ok" if ok else "not ok"), "-", desc)
    sys.stdout.flush()
    return bool(ok)
