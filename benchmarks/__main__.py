"""Benchmark the acceptance suite against nova's own functional test.

    python -m benchmarks [--run-dir DIR] [--keep]

In one run: the embedded cloud's cold start (a fresh run directory, as
benchmarks.cloud_start measures it), one behave run of the whole suite on
that cloud (each scenario's wall time, steps' time and request count, from
its JUnit report), then -- with the cloud down, so it does not slow them --
nova's in-process functional test for the same behaviour, each of its two
tests timed on its own. Prints a table with each scenario's time as a
multiple of the nova test that checks the same thing. The machine may be
busy: the load average is printed at start and end, and only ratios within
one run are worth comparing. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from benchmarks import nova_functional, suite_timing
from benchmarks.table import ColdStart, Measurements, lines
from benchmarks.cloud_start import timed_up
from embedded_cloud.cloud import EmbeddedCloud


def _say(line: str) -> None:
    print(line, flush=True)


def _quiet(line: str) -> None:
    pass


def run(run_dir: Path | None, keep: bool) -> Measurements:
    load_start = os.getloadavg()[0]
    _say(f"benchmark: load average {load_start:.2f}; this takes a few minutes")
    work_dir = Path(tempfile.mkdtemp(prefix="acceptance-bench-"))
    own_cloud = run_dir is None
    cloud_dir = work_dir / "cloud" if own_cloud else run_dir
    cloud = EmbeddedCloud(cloud_dir, progress=_quiet)
    cold_start = None
    try:
        if own_cloud:
            cold_start = ColdStart(*timed_up(cloud))
            _say(f"benchmark: cloud cold start {cold_start.wall_s:.1f} s")
            _say("benchmark: its critical path (ends at, took, task: step):\n"
                 + "\n".join(cloud.timeline.critical_path_lines()))
        else:
            cloud.up()  # finds it running, or starts it
        suite = suite_timing.run_suite(cloud_dir, work_dir)
        _say(f"benchmark: suite {suite.wall_s:.1f} s, exit {suite.returncode} (log {work_dir / 'behave.log'})")
    finally:
        if own_cloud:
            cloud.down()  # by the PIDs it recorded: only what this run started
    nova = {}
    for test in nova_functional.TESTS:
        nova[test] = nova_functional.time_test(test)
        _say(f"benchmark: nova {test} {nova[test].process_s:.1f} s")
    measurements = Measurements(os.cpu_count() or 0, load_start, os.getloadavg()[0],
                                cold_start, suite, nova)
    if keep or suite.returncode != 0:
        _say(f"benchmark: kept {work_dir}")
    else:
        shutil.rmtree(work_dir, ignore_errors=True)
    return measurements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--run-dir", type=Path, metavar="DIR",
                        help="use the embedded cloud in DIR (started if not running; "
                             "left running) instead of a fresh one: no cold start is measured")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch directory (behave's reports and log, the fresh cloud's run dir)")
    args = parser.parse_args(argv)
    print("\n".join(lines(run(args.run_dir, args.keep))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
