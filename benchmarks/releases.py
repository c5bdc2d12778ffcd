"""The suite against each release of the embedded cloud: a release-by-scenario table.

    python -m benchmarks.releases [--release 2024.1 ...] [--out docs/releases.md] [--keep]

For each release in turn: `embedded-cloud up --release R` in a run directory
of its own (.run/releases/R; the first use installs the release's
virtualenv), timed; then the whole suite, run as a real-cloud user would run
it -- the cloud known only by its clouds.yaml (OS_CLIENT_CONFIG_FILE,
OS_CLOUD), the faults and nova's audit through `embedded-cloud ...`
commands -- from a virtualenv that holds the suite's package and nothing of the
cloud (`<root>/suite-venv`, built once from this checkout with
constraints.txt, as a user's `pip install`), through its `nova-leak-check`, in
a working directory outside the checkout; then the cloud's RSS
(`embedded-cloud status`) and `down`. Prints and writes a table: each
scenario passed, failed with the first line of the reason, or skipped with
the reason. Prints figures; asserts nothing. A benchmark, not a CI job.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

PROJECT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "embedded-cloud"
RELEASES = ("2024.1", "2024.2", "2025.1", "2025.2", "2026.1", "2026.2")
IMAGE = "embedded-fake-image"  # the embedded cloud's image (catalog.IMAGE)
ADMIN_CLOUD = "embedded-admin"  # its clouds.yaml's admin entry
SUITE_TIMEOUT = 1800


@dataclass
class ReleaseRun:
    release: str
    up_s: float = 0.0
    up_output: str = ""
    suite_s: float = 0.0
    rss_mib: float = 0.0
    exit_code: int | None = None
    results: dict[str, str] = field(default_factory=dict)  # scenario -> cell


def _cli(run_dir: Path, *args: str) -> list[str]:
    return [str(CLI), "--run-dir", str(run_dir), *args]


def fault_args(run_dir: Path, **override: str) -> list[str]:
    """The -D command settings a real-cloud user passes (stop, kill, freeze,
    start, the Placement path, nova's audit), as the cloud publishes them
    (`embedded-cloud facts`): every fault it has, with no list kept here."""
    done = subprocess.run(_cli(run_dir, "facts"), capture_output=True, text=True, check=True)
    commands = {**json.loads(done.stdout)["settings"], **override}
    return [arg for key, value in commands.items() for arg in ("-D", f"{key}={value}")]


def suite_venv(root: Path) -> Path:
    """The suite's package alone in a virtualenv (built on first use, kept):
    what a user installs on a jump host, so no import of the cloud can help."""
    venv = root / "suite-venv"
    if not (venv / "bin" / "nova-leak-check").exists():
        print(f"releases: installing the suite's package into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                        "-c", str(PROJECT / "constraints.txt"), str(PROJECT)], check=True)
    return venv


def run_release(release: str, root: Path, keep: bool, venv: Path) -> ReleaseRun:
    run_dir = root / release
    result = ReleaseRun(release)
    started = time.monotonic()
    up = subprocess.run(_cli(run_dir, "up", "--release", release), capture_output=True, text=True)
    result.up_s, result.up_output = time.monotonic() - started, up.stdout + up.stderr
    if up.returncode != 0:
        result.results["(cloud)"] = "failed: " + (up.stderr.strip().splitlines() or ["up failed"])[-1]
        return result
    try:
        suite = run_suite(run_dir, root / f"{release}-reports", venv)
        result.suite_s, result.exit_code, result.results = suite.seconds, suite.exit_code, suite.results
        result.rss_mib = rss_mib(run_dir)
    finally:
        if not keep:
            subprocess.run(_cli(run_dir, "down"), capture_output=True, text=True)
    return result


@dataclass
class SuiteRun:
    exit_code: int
    seconds: float
    results: dict[str, str]  # scenario -> cell
    console: str


def run_suite(run_dir: Path, out: Path, venv: Path, *behave_args: str) -> SuiteRun:
    """The suite from ``venv`` against the cloud in ``run_dir``, as a
    real-cloud user runs it, in ``out`` (reports, console.txt)."""
    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OS_") and k not in ("VIRTUAL_ENV", "PYTHONPATH", "EMBEDDED_CLOUD_DIR")}
    env.update(OS_CLIENT_CONFIG_FILE=str(run_dir / "clouds.yaml"), OS_CLOUD=ADMIN_CLOUD,
               PATH=f"{venv / 'bin'}:/usr/bin:/bin")
    started = time.monotonic()
    suite = subprocess.run(
        [str(venv / "bin" / "nova-leak-check"), "-f", "progress",
         "-D", f"image={IMAGE}", "-D", "report_interval=1", "-D", f"run_dir={out / 'run'}",
         "--junit-directory", str(out / "junit"), "-o", str(out / "progress.txt"),
         *fault_args(run_dir), *behave_args],
        cwd=out, env=env, capture_output=True, text=True, timeout=SUITE_TIMEOUT)
    console = suite.stdout + suite.stderr
    (out / "console.txt").write_text(console)
    results = cells(out / "junit")
    if not results:
        line = next((l for l in reversed(suite.stderr.splitlines()) if l.strip()), "no report")
        results["(suite)"] = f"failed: {line}"
    return SuiteRun(suite.returncode, time.monotonic() - started, results, console)


def cells(junit_dir: Path) -> dict[str, str]:
    """scenario -> 'passed', 'failed: FIRST LINE' or 'skipped: REASON', from the JUnit files."""
    found = {}
    for path in sorted(junit_dir.glob("*.xml")):
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            skipped = case.find("skipped")
            if problem is not None:
                text = (problem.get("message") or problem.text or "").strip().splitlines()
                found[case.get("name")] = "failed: " + (text[0] if text else "?")
            elif skipped is not None:
                found[case.get("name")] = "skipped: " + (skipped.get("message") or "")
            else:
                found[case.get("name")] = "passed"
    return found


def rss_mib(run_dir: Path) -> float:
    status = subprocess.run(_cli(run_dir, "status"), capture_output=True, text=True).stdout
    total = re.search(r"^total\s+([0-9.]+) MiB", status, re.MULTILINE)
    return float(total.group(1)) if total else 0.0


def table(runs: list[ReleaseRun]) -> str:
    names = list(dict.fromkeys(name for run in runs for name in run.results))
    head = "| scenario | " + " | ".join(run.release for run in runs) + " |"
    rows = [head, "|" + "---|" * (len(runs) + 1)]
    for name in names:
        rows.append(f"| {name} | " + " | ".join(_cell(run.results.get(name, "-")) for run in runs) + " |")
    rows.append("| cold start (s) | " + " | ".join(f"{run.up_s:.0f}" for run in runs) + " |")
    rows.append("| suite (s) | " + " | ".join(f"{run.suite_s:.0f}" for run in runs) + " |")
    rows.append("| cloud RSS (MiB) | " + " | ".join(f"{run.rss_mib:.0f}" for run in runs) + " |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.releases", description=__doc__.split("\n")[0])
    parser.add_argument("--release", action="append", choices=RELEASES,
                        help="a release to run (repeatable; default: every one)")
    parser.add_argument("--out", type=Path, help="also write the table into this file")
    parser.add_argument("--root", type=Path, default=PROJECT / ".run" / "releases",
                        help="where each release's cloud and reports live")
    parser.add_argument("--keep", action="store_true", help="leave each cloud running")
    args = parser.parse_args(argv)
    runs = []
    venv = suite_venv(args.root)
    for release in args.release or RELEASES:
        print(f"releases: {release}: up, then the whole suite ...", flush=True)
        run = run_release(release, args.root, args.keep, venv)
        print(f"releases: {release}: cold start {run.up_s:.0f} s, suite {run.suite_s:.0f} s "
              f"(exit {run.exit_code}), RSS {run.rss_mib:.0f} MiB", flush=True)
        runs.append(run)
    text = table(runs)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
