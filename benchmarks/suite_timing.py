"""Run the acceptance suite once with behave and read back, per scenario,
its wall time (hooks included), its steps' time and its request count.

behave runs in a scratch directory holding a copy of behave.ini, so the
reports it writes (HTML, JUnit) land there and not in the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from reports.junit import report_files

PROJECT = Path(__file__).resolve().parents[1]
CLOCK = "benchmarks.scenario_clock:ScenarioClock"
SUITE_TIMEOUT_S = 1800


@dataclass(frozen=True)
class ScenarioTiming:
    feature: str  # the feature file's stem, e.g. "compute.local_delete"
    name: str
    status: str
    wall_s: float  # start to finish, before/after_scenario hooks included
    steps_s: float  # behave's (and JUnit's) time: the steps alone
    requests: int
    # What the run said besides pass or fail: its skip reason, its notes
    # ("note: ..." lines of its output), the first line of its failure.
    skip_reason: str = ""
    notes: tuple[str, ...] = ()
    failure: str = ""


@dataclass(frozen=True)
class SuiteTiming:
    wall_s: float  # the whole behave process
    returncode: int
    scenarios: list[ScenarioTiming]
    work_dir: Path


def behave_command(work_dir: Path, cloud_dir: Path, features: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "behave", str(features),
        "-D", f"embedded_cloud.run_dir={cloud_dir}",
        "-D", f"run_dir={work_dir / 'run'}",
        "-f", CLOCK, "-o", str(work_dir / "clock.json"),
        *extra,
    ]  # fmt: skip


def run_suite(cloud_dir: Path, work_dir: Path, project: Path = PROJECT, *extra: str) -> SuiteTiming:
    """The suite on the embedded cloud in ``cloud_dir``; ``extra``: more
    behave arguments (e.g. ``--include`` to run some features only)."""
    shutil.copy(project / "behave.ini", work_dir / "behave.ini")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["EMBEDDED_CLOUD_DIR"] = str(cloud_dir)
    with open(work_dir / "behave.log", "w", encoding="utf-8") as log:
        started = time.monotonic()
        done = subprocess.run(
            behave_command(work_dir, cloud_dir, project / "features", *extra),
            cwd=work_dir, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=SUITE_TIMEOUT_S,
        )  # fmt: skip
        wall_s = time.monotonic() - started
    clock_path = work_dir / "clock.json"
    clock = json.loads(clock_path.read_text()) if clock_path.exists() else {}
    scenarios = read_scenarios(work_dir / "reports-out" / "junit", clock)
    return SuiteTiming(wall_s, done.returncode, scenarios, work_dir)


def read_scenarios(junit_dir: Path, clock: dict[str, float]) -> list[ScenarioTiming]:
    """One timing per JUnit testcase, in the order behave ran them."""
    timings = []
    for path in report_files(junit_dir):
        feature = path.stem.removeprefix("TESTS-")
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            name = case.get("name")
            properties = {p.get("name"): p.get("value") for p in case.iter("property")}
            steps_s = float(case.get("time") or 0)
            skipped, out = case.find("skipped"), case.find("system-out")
            problems = [*case.iter("failure"), *case.iter("error")]
            notes = [line.strip() for line in (out.text or "").splitlines()
                     if line.strip().startswith("note: ")] if out is not None else []
            timings.append(ScenarioTiming(
                feature=feature,
                name=name,
                status=case.get("status") or "",
                wall_s=clock.get(name, steps_s),
                steps_s=steps_s,
                requests=int(properties.get("requests.total", 0)),
                skip_reason=(skipped.get("message") or "") if skipped is not None else "",
                notes=tuple(dict.fromkeys(notes)),
                failure=(problems[0].get("message") or "").strip().split("\n")[0] if problems else "",
            ))  # fmt: skip
    return timings
