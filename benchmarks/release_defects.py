"""Each defect of embedded_cloud/defects/ on an older release: does it turn
the same scenarios red there as on the newest?

    python -m benchmarks.release_defects [--release 2024.1] [--out FILE]
    python -m benchmarks.release_defects --targets

`--targets`: only whether each defect finds the nova classes and methods it
patches, in every installed release (benchmarks/defect_targets.py run in
that release's Python); no cloud.

One cloud of the release (.run/releases/<release>-defects), each defect in
turn injected with `embedded-cloud up --defect SERVICE=NAME` (and the nova
options it needs); the suite, from the suite-only virtualenv as a real-cloud
user (benchmarks.releases.run_suite), on the features that hold the scenarios
the defect declares it catches (its DEFECT record, the same the CI test
tests/defects/test_suite_catches_defects.py reads). Where the heal feature
runs, the local-delete feature runs before it: on releases whose nova pins an
openstacksdk older than 4.11.0 a nova-api that has not yet used Placement
cannot delete locally with its path to Placement cut (docs/releases.md), and
the local-delete feature is that first use. A row says which scenarios
failed, whether they are exactly the declared ones, and whether each
failure carries the declared fragment. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import time
from pathlib import Path

from behave.parser import parse_file

from benchmarks.releases import PROJECT, RELEASES, _cli, run_suite, suite_venv
from embedded_cloud import releases
from embedded_cloud.defects.catalog import DEFECTS

FEATURES = PROJECT / "features"
HEAL_FEATURE = "compute.heal.feature"
WARMS_NOVA_API = "compute.local_delete.feature"


def as_counted(name: str) -> str:
    return name.split(" -- @")[0]  # an outline's example counts as its scenario


@functools.cache
def feature_of_scenarios() -> dict[str, str]:
    """scenario name (as counted) -> the feature file that holds it."""
    return {as_counted(scenario.name): path.name for path in sorted(FEATURES.glob("*.feature"))
            for scenario in parse_file(str(path)).walk_scenarios()}


def features_for(catches: dict[str, str]) -> list[str]:
    """The features to run, in order (behave keeps the order of the paths it is given)."""
    where = feature_of_scenarios()
    features = sorted({where[name] for name in catches})
    if HEAL_FEATURE in features:
        features = [WARMS_NOVA_API, *(f for f in features if f != WARMS_NOVA_API)]
    return features


def packaged_features(venv: Path) -> Path:
    """Where the suite's package in ``venv`` keeps its feature files."""
    done = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import acceptance, pathlib; print(pathlib.Path(acceptance.__file__).parent / 'features')"],
                          capture_output=True, text=True, check=True, cwd="/")
    return Path(done.stdout.strip())


def check(name: str, release: str, root: Path, venv: Path, features_dir: Path) -> dict:
    defect = DEFECTS[name]
    run_dir = root / f"{release}-defects"
    args = ["--release", release, "--defect", f"{defect.service}={name}",
            *[a for option in defect.nova_options for a in ("--nova-option", option)]]
    up = subprocess.run(_cli(run_dir, "up", *args), capture_output=True, text=True)
    if up.returncode != 0:
        return {"defect": name, "features": [], "failed": {}, "note": "up failed: " + up.stderr.strip()[-300:]}
    features = features_for(defect.catches)
    suite = run_suite(run_dir, root / f"{release}-defects-reports" / name, venv,
                      *(str(features_dir / feature) for feature in features))
    failed = {as_counted(s): cell.removeprefix("failed: ") for s, cell in suite.results.items()
              if cell != "passed"}
    exact = set(failed) == set(defect.catches)
    fragments = all(fragment in failed.get(s, "") for s, fragment in defect.catches.items())
    return {"defect": f"{defect.service}={name}", "features": features, "failed": failed,
            "same": exact and fragments, "seconds": suite.seconds}


def table(release: str, rows: list[dict]) -> str:
    lines = [f"| defect | features run | red on {release} (first line of each failure) | as declared |",
             "|---|---|---|---|"]
    for row in rows:
        red = "; ".join(f"{s}: `{m[:110]}`" for s, m in row["failed"].items()) or row.get("note", "none")
        lines.append(f"| {row['defect']} | {', '.join(f.removesuffix('.feature') for f in row['features'])} "
                     f"| {red.replace('|', '/')} | {'yes' if row.get('same') else 'no'} |")
    return "\n".join(lines)


def targets() -> int:
    """Each installed release: do the defects find what they patch?"""
    worst = 0
    for name in RELEASES:
        release = releases.choose(name)
        if not releases.installed(release):
            print(f"release_defects: {name}: not installed (embedded-cloud up --release {name})")
            continue
        done = subprocess.run([releases.python_of(release), "-m", "benchmarks.defect_targets"],
                              cwd=PROJECT, env={**os.environ, "PYTHONPATH": str(PROJECT)},
                              capture_output=True, text=True)
        print(f"release_defects: {name}:", done.stdout.strip().replace("\n", f"\nrelease_defects: {name}: "),
              done.stderr.strip()[-500:] if done.returncode else "", flush=True)
        worst = max(worst, done.returncode)
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.release_defects",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--release", default="2024.1")
    parser.add_argument("--defect", action="append", choices=sorted(DEFECTS),
                        help="a defect to run (repeatable; default: every one)")
    parser.add_argument("--root", type=Path, default=PROJECT / ".run" / "releases")
    parser.add_argument("--out", type=Path, help="also write the table into this file")
    parser.add_argument("--targets", action="store_true",
                        help="only check that each defect finds its patch targets in each installed release")
    args = parser.parse_args(argv)
    if args.targets:
        return targets()
    venv = suite_venv(args.root)
    features_dir = packaged_features(venv)
    rows = []
    try:
        for name in args.defect or sorted(DEFECTS):
            started = time.monotonic()
            row = check(name, args.release, args.root, venv, features_dir)
            print(f"release_defects: {args.release} {name}: {'as declared' if row.get('same') else 'DIFFERS'} "
                  f"({time.monotonic() - started:.0f} s)", flush=True)
            rows.append(row)
    finally:
        subprocess.run(_cli(args.root / f"{args.release}-defects", "down"), capture_output=True, text=True)
    text = table(args.release, rows)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
