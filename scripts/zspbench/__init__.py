# SPDX-License-Identifier: GPL-2.0
"""zspreempt's benchmark and documentation Python, one package.

Run its commands as modules with scripts/ on the path, for example
PYTHONPATH=scripts python3 -m zspbench.bench_report DIR:

- stats: reading result files and the one rule for comparing kernels;
- bench_report, latency_report, contention_report: the reports of
  make bench, make bench-latency and make bench-contention;
- demo_summary: what make demo prints at the end;
- docs: the generated figure blocks of README.md and doc/.
"""
