"""Benchmark the embedded cloud: cold start, warm start, memory.

    python -m benchmarks.cloud_start [--runs N] [--keep]

Cold: from an empty run directory to ready (every API answers, both computes
up with resource providers). Warm: `down` then `up` on the same directory.
Memory: the resident set of every process of the ready cloud, added up.
Compute restart: `embedded-cloud compute start HOST` (the command, and the
method the suite calls) to the compute's first heartbeat, after a stop.
The critical paths of the cold and the warm start follow: which step or
wait each stretch of them was, and how long it took.
CPU seconds (the cloud's processes and its one-shot set-up commands) are
printed next to wall time: on a shared, noisy machine they say whether a slow
start was our work or somebody else's. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from embedded_cloud.runtime import processes, zygote
from embedded_cloud.setup import schema_cache
from embedded_cloud.cloud import EmbeddedCloud
from embedded_cloud.services import nova

TARGET_COLD_S = 12.0
TARGET_WARM_S = 8.0
TARGET_RESTART_S = 2.0
TARGET_RSS_MIB = 1536.0
HOST = "compute1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_by_process(cloud: EmbeddedCloud) -> dict[str, float]:
    """CPU seconds of each running process of the cloud (with its helpers), by name."""
    used = {}
    for status in cloud.status():
        if status.running:
            ticks = 0
            for pid in [status.pid, *cloud.descendants(status.pid)]:
                fields = processes._stat_fields(pid)  # noqa: SLF001 - same package
                if fields:
                    ticks += int(fields[11]) + int(fields[12])  # utime + stime
            used[status.name] = ticks / CLOCK_TICKS
    return used


def _children_cpu() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def _reap_ended_children() -> None:
    """Collect processes of ours that ended before now (the last `down`'s),
    so that their CPU is not counted in the next start's."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _zygote_commands_cpu(cloud: EmbeddedCloud) -> float:
    """One-shot commands forked from the zygote are neither our children nor
    alive at the end: the zygote logs their CPU time."""
    try:
        return zygote.commands_cpu(cloud.layout.log(nova.ZYGOTE).read_text())
    except FileNotFoundError:
        return 0.0


def timed_up(cloud: EmbeddedCloud) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and total RSS (MiB) of one `up`."""
    _reap_ended_children()
    children_before = _children_cpu()
    forked_before = _zygote_commands_cpu(cloud)
    started = time.monotonic()
    cloud.up()
    wall = time.monotonic() - started
    cpu = (sum(_cpu_by_process(cloud).values()) + _children_cpu() - children_before
           + _zygote_commands_cpu(cloud) - forked_before)
    rss = sum(s.rss_kib for s in cloud.status()) / 1024
    return wall, cpu, rss


def timed_restart(cloud: EmbeddedCloud, command: bool) -> float:
    """Wall seconds from starting a stopped compute to its first heartbeat."""
    cloud.stop_compute(HOST)
    started = time.monotonic()
    if command:
        subprocess.run([sys.executable, "-m", "embedded_cloud", "--run-dir", str(cloud.layout.root),
                        "compute", "start", HOST], check=True, stdout=subprocess.DEVNULL)
    else:
        cloud.start_compute(HOST)
    return time.monotonic() - started


def _quiet(line: str) -> None:
    pass


def run(runs: int, keep: bool) -> None:
    print(f"embedded cloud benchmark: {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} at start, {runs} run(s)")
    # A cold start from the schema cache skips the migrations: say which kind this is.
    parts = sorted(p.name for p in schema_cache.entry().glob("*")) if schema_cache.enabled() else []
    print("schema cache: " + ("off (full migrations)" if not schema_cache.enabled() else
                              f"{', '.join(parts) or 'empty (the first cold start fills it)'} "
                              f"in {schema_cache.entry()}"))
    cold, warm, restart, restart_command = [], [], [], []
    cold_path: list[str] = []
    warm_path: list[str] = []
    warm_cpu: dict[str, float] = {}
    for number in range(1, runs + 1):
        run_dir = Path(tempfile.mkdtemp(prefix="embedded-cloud-bench-"))
        cloud = EmbeddedCloud(run_dir, progress=_quiet)
        try:
            cold.append(timed_up(cloud))
            cold_path = cloud.timeline.critical_path_lines()
            cloud.down()
            warm.append(timed_up(cloud))
            warm_path = cloud.timeline.critical_path_lines()
            warm_cpu = _cpu_by_process(cloud)
            restart.append(timed_restart(cloud, command=False))
            restart_command.append(timed_restart(cloud, command=True))
        finally:
            cloud.down()
            if not keep:
                shutil.rmtree(run_dir, ignore_errors=True)
        print(f"  run {number}: cold {cold[-1][0]:.1f} s, warm {warm[-1][0]:.1f} s, "
              f"RSS {warm[-1][2]:.0f} MiB, compute restart {restart[-1]:.1f} s "
              f"(command {restart_command[-1]:.1f} s), load {os.getloadavg()[0]:.2f}")

    def row(name, samples, target):
        walls = [s[0] for s in samples]
        return (f"{name:<12} {statistics.median(walls):8.1f} {min(walls):8.1f} "
                f"{statistics.median(s[1] for s in samples):8.1f} "
                f"{statistics.median(s[2] for s in samples):9.0f}   {target}")

    print(f"{'':<12} {'wall s':>8} {'best s':>8} {'cpu s':>8} {'RSS MiB':>9}   target")
    print(row("cold start", cold, f"<= {TARGET_COLD_S:.0f} s, <= {TARGET_RSS_MIB:.0f} MiB"))
    print(row("warm start", warm, f"<= {TARGET_WARM_S:.0f} s"))
    for name, samples in (("restart", restart), ("restart cmd", restart_command)):
        print(f"{name:<12} {statistics.median(samples):8.1f} {min(samples):8.1f} {'':>8} {'':>9}   "
              f"<= {TARGET_RESTART_S:.0f} s (compute start to first heartbeat)")
    print("CPU s of each process over the last warm start: " + ", ".join(
        f"{name} {seconds:.1f}" for name, seconds in sorted(warm_cpu.items(), key=lambda i: -i[1])))
    for kind, path in (("cold", cold_path), ("warm", warm_path)):
        print(f"critical path of the last {kind} start (ends at, took, task: step):")
        print("\n".join(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cloud_start",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="cold+warm pairs to run (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the run directories")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    run(args.runs, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
