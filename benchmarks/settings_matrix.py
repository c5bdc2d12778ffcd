"""The suite under each nova setting that changes what it can see.

    python -m benchmarks.settings_matrix [--only SECTION.KEY=VALUE ...] [--keep]

One embedded cloud of its own (a fresh run directory), started with each
setting of SETTINGS in turn (`embedded-cloud up --nova-option ...`, a
restart), runs the features that setting affects (docs/nova-options.md says
why each), then is stopped. Prints a table, setting by scenario: passed,
adapted (the suite said how, in a note), or skipped (with its reason). None
may fail: a failed scenario is printed as FAILED with its message and the
command exits 1. Prints figures and outcomes; times are the machine's, on a
possibly busy machine (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import suite_timing
from benchmarks.suite_timing import ScenarioTiming

PROJECT = Path(__file__).resolve().parents[1]
UP_TIMEOUT_S = 600


@dataclass(frozen=True)
class Setting:
    option: str  # SECTION.KEY=VALUE, as for --nova-option
    features: tuple[str, ...]  # the feature files (stems) it can change
    why: str  # what it changes, in a few words


SETTINGS = (
    Setting("DEFAULT.shelved_offload_time=-1", ("compute.shelve",),
            "shelved servers are never offloaded by nova"),
    Setting("DEFAULT.shelved_offload_time=3600", ("compute.shelve",),
            "shelved servers are offloaded by the periodic task after an hour"),
    Setting("DEFAULT.reclaim_instance_interval=3600",
            ("compute.local_delete", "compute.heal", "compute.disabled", "compute.evacuate", "compute.shelve"),
            "a delete on a live host is a soft delete"),
    Setting("DEFAULT.update_resources_interval=0",
            ("compute.local_delete", "compute.heal", "compute.disabled"),
            "nova's default: the periodic clean-up every 60 s, not hourly"),
    Setting("DEFAULT.running_deleted_instance_poll_interval=5",
            ("compute.local_delete", "compute.heal"),
            "nova-compute reaps guests of deleted servers every 5 s"),
    Setting("DEFAULT.service_down_time=60", ("compute.local_delete", "compute.disabled"),
            "nova's default: a silent compute counts as down after 60 s"),
    Setting("compute.resource_provider_association_refresh=0", ("compute.disabled",),
            "nova-compute never refreshes its cached traits and aggregates"),
    Setting("filter_scheduler.enabled_filters=ComputeCapabilitiesFilter,ImagePropertiesFilter",
            ("compute.disabled",),
            "no ComputeFilter: only the disabled trait keeps a disabled host out"),
)


@dataclass(frozen=True)
class Row:
    setting: Setting
    up_s: float
    run_s: float
    scenarios: list[ScenarioTiming]


def outcome(scenario: ScenarioTiming) -> str:
    """passed, adapted (its note), skipped (its reason) or FAILED (its message)."""
    if scenario.status == "passed":
        return f"adapted: {scenario.notes[0]}" if scenario.notes else "passed"
    if scenario.status == "skipped":
        return f"skipped: {scenario.skip_reason or 'no reason given'}"
    return f"FAILED: {scenario.failure or scenario.status}"


def failed(rows: list[Row]) -> list[tuple[str, str]]:
    """(setting, scenario) of each failure; a setting under which nothing ran is one."""
    return [(row.setting.option, s.name) for row in rows for s in row.scenarios
            if outcome(s).startswith("FAILED")] + [
        (row.setting.option, "(no scenario ran)") for row in rows if not row.scenarios]


def table(rows: list[Row]) -> list[str]:
    """The matrix as a Markdown table, one line per setting and scenario."""
    lines = ["| setting | what it changes | feature | scenario | outcome |", "|---|---|---|---|---|"]
    for row in rows:
        if not row.scenarios:
            lines.append(f"| `{row.setting.option}` | {row.setting.why} | | | FAILED: the suite did not run |")
        for s in row.scenarios:
            cell = outcome(s).replace("|", "\\|")
            lines.append(f"| `{row.setting.option}` | {row.setting.why} | {s.feature} | {s.name} | {cell} |")
    return lines


def _cloud(run_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`embedded-cloud --run-dir RUN_DIR ARGS...`, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "embedded_cloud", "--run-dir", str(run_dir), *args],
                          cwd=PROJECT, capture_output=True, text=True, timeout=UP_TIMEOUT_S)


def run(settings: tuple[Setting, ...], keep: bool, say=print) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="settings-matrix-"))
    cloud_dir = work / "cloud"
    rows = []
    try:
        for setting in settings:
            started = time.monotonic()
            up = _cloud(cloud_dir, "up", "--nova-option", setting.option)
            up_s = time.monotonic() - started
            if up.returncode != 0:
                raise SystemExit(f"settings matrix: embedded-cloud up --nova-option {setting.option} "
                                 f"failed:\n{up.stderr[-2000:] or up.stdout[-2000:]}")
            run_dir = work / setting.option.replace("/", "_")
            run_dir.mkdir()
            pattern = "|".join(feature.replace(".", r"\.") for feature in setting.features)
            timing = suite_timing.run_suite(cloud_dir, run_dir, PROJECT, "--include", f"({pattern})")
            rows.append(Row(setting, up_s, timing.wall_s, timing.scenarios))
            counts = {word: sum(outcome(s).startswith(word) for s in timing.scenarios)
                      for word in ("passed", "adapted", "skipped", "FAILED")}
            say(f"settings matrix: {setting.option}: up {up_s:.1f} s, {len(setting.features)} features "
                f"{timing.wall_s:.1f} s: " + ", ".join(f"{n} {word}" for word, n in counts.items())
                + f" (log {run_dir / 'behave.log'})")
    finally:
        _cloud(cloud_dir, "down")  # by the PIDs it recorded: only what this run started
        if keep or failed(rows):
            say(f"settings matrix: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.settings_matrix",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", metavar="SECTION.KEY=VALUE",
                        help="run only this setting of the matrix (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (logs, reports)")
    args = parser.parse_args(argv)
    chosen = SETTINGS
    if args.only:
        chosen = tuple(s for s in SETTINGS if s.option in args.only)
        unknown = sorted(set(args.only) - {s.option for s in chosen})
        if unknown:
            print(f"settings matrix: {', '.join(unknown)} is not in the matrix; its settings: "
                  + ", ".join(s.option for s in SETTINGS), file=sys.stderr)
            return 2
    load = os.getloadavg()[0]
    print(f"settings matrix: {len(chosen)} settings, load average {load:.2f}; this takes minutes", flush=True)
    started = time.monotonic()
    rows = run(chosen, args.keep, say=lambda line: print(line, flush=True))
    print(f"settings matrix: {time.monotonic() - started:.0f} s in all, load average "
          f"{load:.2f} at start, {os.getloadavg()[0]:.2f} at end\n")
    print("\n".join(table(rows)))
    problems = failed(rows)
    for option, name in problems:
        print(f"settings matrix: FAILED under {option}: {name}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
