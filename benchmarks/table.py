"""The benchmark's printed report, built from its measurements alone (no
cloud, no processes), so it can be tested on canned figures."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.nova_functional import AFTER_RESTART, EVACUATE, FROM_API, UNSHELVE, NovaTiming
from benchmarks.suite_timing import SuiteTiming

# Which of nova's tests checks what a feature checks. nova's from_api test
# boots a server, checks its usages, stops and forces down the compute and
# deletes it: the local-delete scenarios (and the boot check, its first half).
# after_compute_restart cuts Placement during the delete and heals on a
# compute start: the heal scenarios. Nothing in it disables a compute.
# ServerMovingTests' evacuate test covers the evacuate feature (down source,
# both hosts, restart); its shelve-offload-unshelve-elsewhere test the shelve
# feature (it disables the source where the suite stops it).
NOVA_COUNTERPART = {
    "placement.allocations": FROM_API,
    "compute.local_delete": FROM_API,
    "compute.heal": AFTER_RESTART,
    "compute.evacuate": EVACUATE,
    "compute.shelve": UNSHELVE,
}


@dataclass(frozen=True)
class ColdStart:
    wall_s: float
    cpu_s: float
    rss_mib: float


@dataclass(frozen=True)
class Measurements:
    cores: int
    load_start: float
    load_end: float
    cold_start: ColdStart | None  # None: an existing cloud was used
    suite: SuiteTiming
    nova: dict[str, NovaTiming]  # test name -> timing


def short(test: str) -> str:
    return test.removeprefix("test_local_delete_removes_allocations_").removeprefix("test_")


def ratio(wall_s: float, nova: NovaTiming | None) -> str:
    if nova is None or not nova.passed or not nova.test_s:
        return "—"
    return f"{wall_s / nova.test_s:.1f}"


def lines(m: Measurements) -> list[str]:
    out = [f"acceptance suite benchmark: {m.cores} cores, load average {m.load_start:.2f} at start"]
    if m.cold_start is None:
        out.append("embedded cloud cold start: not measured (an existing cloud was used: --run-dir)")
    else:
        c = m.cold_start
        out.append(f"embedded cloud cold start: {c.wall_s:.1f} s wall, {c.cpu_s:.1f} s CPU, "
                   f"{c.rss_mib:.0f} MiB RSS")
    passed = sum(s.status == "passed" for s in m.suite.scenarios)
    out.append(f"whole suite (one behave process): {m.suite.wall_s:.1f} s, "
               f"{passed}/{len(m.suite.scenarios)} scenarios passed, exit {m.suite.returncode}")
    out.append("nova's functional test (in-process, fake driver), one process per test:")
    for test, timing in m.nova.items():
        test_s = "did not run" if timing.test_s is None else f"{timing.test_s:.1f} s"
        out.append(f"  {test}: {test_s} (process {timing.process_s:.1f} s, imports included), "
                   f"{'OK' if timing.passed else 'FAILED'}")
    out += ["", *scenario_table(m), ""]
    out.append("wall s: the scenario from start to end, its hooks' restore included; steps s: "
               "its steps alone (JUnit time); x nova: wall s / the nova test's time")
    out.append(f"load average {m.load_end:.2f} at end")
    return out


def scenario_table(m: Measurements) -> list[str]:
    rows = [
        "| scenario | wall s | steps s | requests | nova test | x nova |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for s in m.suite.scenarios:
        test = NOVA_COUNTERPART.get(s.feature)
        status = "" if s.status == "passed" else f" ({s.status})"
        rows.append(f"| {s.feature}: {s.name}{status} | {s.wall_s:.1f} | {s.steps_s:.1f} | "
                    f"{s.requests} | {short(test) if test else '—'} | "
                    f"{ratio(s.wall_s, m.nova.get(test)) if test else '—'} |")
    wall = sum(s.wall_s for s in m.suite.scenarios)
    steps = sum(s.steps_s for s in m.suite.scenarios)
    requests = sum(s.requests for s in m.suite.scenarios)
    rows.append(f"| **all scenarios** | {wall:.1f} | {steps:.1f} | {requests} | | |")
    return rows
