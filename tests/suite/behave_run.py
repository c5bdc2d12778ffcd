"""Run the acceptance suite with behave as QA runs it, and read what it wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from behave.parser import parse_file

from acceptance.safety.prefix import is_suite_name
from tests.conftest import PROJECT, connect
from tests.openstack_kit import embedded_cloud_cli

SUITE_TIMEOUT = 1200  # seconds; a green run takes 90-150 s on a busy 2-core machine
FEATURES = PROJECT / "features"


@dataclass
class BehaveRun:
    project: Path  # the scratch directory behave ran in
    returncode: int
    stdout: str
    stderr: str

    @property
    def junit_dir(self) -> Path:
        return self.project / "reports-out" / "junit"

    @property
    def html_path(self) -> Path:
        return self.project / "reports-out" / "report.html"

    def output(self) -> str:
        """The tail of behave's output, for assertion messages."""
        return f"--- stdout\n{self.stdout[-6000:]}\n--- stderr\n{self.stderr[-4000:]}"


def run_behave(project_copy: Path, cloud_dir: Path, *args: str, os_env: dict | None = None,
               extra_env: dict | None = None) -> BehaveRun:
    """behave in a scratch directory holding a copy of behave.ini, so its
    reports land there; the features and steps are the project's.
    ``os_env``: the OS_* variables of the cloud, for a run that knows it only
    by them (as on a real cloud); otherwise it is the embedded cloud in ``cloud_dir``.
    ``extra_env``: more variables (e.g. a PATH with stand-in tools first)."""
    shutil.copy(PROJECT / "behave.ini", project_copy / "behave.ini")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    # Also with os_env: should the suite wrongly pick the embedded cloud, it
    # finds the running one instead of starting another.
    env["EMBEDDED_CLOUD_DIR"] = str(cloud_dir)
    env.update(os_env or {})
    env.update(extra_env or {})
    embedded = [] if os_env else ["-D", f"embedded_cloud.run_dir={cloud_dir}"]
    command = [
        sys.executable, "-m", "behave", str(FEATURES),
        *embedded,
        "-D", f"run_dir={project_copy / 'run'}",
        *args,
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=project_copy, env=env, capture_output=True, text=True, timeout=SUITE_TIMEOUT
    )
    return BehaveRun(project_copy, done.returncode, done.stdout, done.stderr)


def scenarios_by_feature(features_dir: Path = FEATURES) -> dict[Path, list]:
    """{feature file: its scenarios as behave names them when they run (one
    per Examples row)}, read from the feature files, in file order."""
    return {path: list(parse_file(str(path)).walk_scenarios())
            for path in sorted(features_dir.glob("*.feature"))}


def parsed_scenarios(features_dir: Path = FEATURES) -> dict:
    """{name: scenario} for every scenario of the suite, in file order."""
    return {scenario.name: scenario
            for scenarios in scenarios_by_feature(features_dir).values() for scenario in scenarios}


def junit_testcases(junit_dir: Path) -> list[dict]:
    cases = []
    for path in sorted(junit_dir.glob("*.xml")):
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            properties = {p.get("name"): p.get("value") for p in case.iter("property")}
            skipped = case.find("skipped")
            problems = [*case.iter("failure"), *case.iter("error")]
            cases.append({
                "name": case.get("name"),
                "status": case.get("status"),
                "time": float(case.get("time")),
                "properties": properties,
                "skip_message": None if skipped is None else skipped.get("message"),
                "message": problems[0].get("message", "") if problems else "",
            })  # fmt: skip
    return cases


# -- the cloud, before and after a run --------------------------------------
def compute_services(conn):
    return {
        s.host: {"status": s.status, "state": s.state, "forced_down": s.is_forced_down}
        for s in conn.compute.services(binary="nova-compute")
    }


def usages(conn):
    return {
        rp.name: dict(conn.placement.fetch_resource_provider_usages(rp).usages)
        for rp in conn.placement.resource_providers()
    }


def suite_leftovers(conn):
    servers = [s.name for s in conn.compute.servers(all_projects=True) if is_suite_name(s.name)]
    flavors = [f.name for f in conn.compute.flavors(is_public=None) if is_suite_name(f.name)]
    return {"servers": servers, "flavors": flavors}


# -- the suite on a cloud of its own, with a real cloud's nova settings ------
def run_on_nova_options(run_dir: Path, nova_options: tuple[str, ...], workdir: Path, *args: str) -> dict:
    """A fresh embedded cloud in ``run_dir`` started with ``--nova-option``
    each of ``nova_options``, the suite run on it (behave ``args``, e.g. an
    ``--include``), and what the cloud looks like before and after; the
    cloud is stopped at the end. Fresh: what an earlier, broken run left
    there would be counted as ours."""
    embedded_cloud_cli(run_dir, "down")
    shutil.rmtree(run_dir, ignore_errors=True)
    up = embedded_cloud_cli(run_dir, "up", *[a for o in nova_options for a in ("--nova-option", o)],
                            timeout=600)
    try:
        assert up.returncode == 0, f"{up.stdout[-3000:]}\n{up.stderr[-3000:]}"
        conn = connect(run_dir / "clouds.yaml", compute_api_version="2.74")
        before = usages(conn)
        run = run_behave(workdir, run_dir, *args)
        # The ordinary list hides SOFT_DELETED servers; deleted=True shows them (and the deleted).
        soft_deleted = [s.name for s in conn.compute.servers(all_projects=True, deleted=True)
                        if is_suite_name(s.name) and s.status == "SOFT_DELETED"]
        return {"run": run, "before": before, "after": usages(conn), "services": compute_services(conn),
                "leftovers": suite_leftovers(conn), "soft_deleted": soft_deleted}
    finally:
        embedded_cloud_cli(run_dir, "down")


def outcomes(junit_dir: Path) -> dict[str, tuple[str, str]]:
    """{scenario: (status, failure message)}; an outline's rows count as their scenario."""
    return {case["name"]: (case["status"], case["message"]) for case in junit_testcases(junit_dir)}


def assert_nothing_left(variant: dict) -> None:
    """The cloud as before the run: no server or flavor of the suite, none
    soft-deleted, the same usages, every compute enabled, up, not forced down."""
    assert variant["leftovers"] == {"servers": [], "flavors": []}
    assert variant["soft_deleted"] == []
    assert variant["after"] == variant["before"]
    for host, service in variant["services"].items():
        assert service == {"status": "enabled", "state": "up", "forced_down": False}, host
