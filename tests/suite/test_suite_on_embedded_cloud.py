"""The acceptance suite, run as QA runs it (``behave`` with the project's
behave.ini), against a real embedded cloud: green, and the cloud is left
exactly as it was found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from xml.etree import ElementTree

from acceptance.prefix import is_suite_name
from tests.conftest import PROJECT

SUITE_TIMEOUT = 1200  # seconds; a green run takes about 90 s here


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


def run_behave(project_copy, cloud_dir):
    """behave in a scratch directory holding a copy of behave.ini, so its
    reports land there; the features and steps are the project's."""
    shutil.copy(PROJECT / "behave.ini", project_copy / "behave.ini")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["EMBEDDED_CLOUD_DIR"] = str(cloud_dir)
    command = [
        sys.executable, "-m", "behave", str(PROJECT / "features"),
        "-D", f"embedded_cloud.run_dir={cloud_dir}",
        "-D", f"run_dir={project_copy / 'run'}",
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=project_copy, env=env, capture_output=True, text=True, timeout=SUITE_TIMEOUT
    )


def junit_testcases(junit_dir):
    cases = []
    for path in sorted(junit_dir.glob("*.xml")):
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            properties = {p.get("name"): p.get("value") for p in case.iter("property")}
            cases.append({"name": case.get("name"), "status": case.get("status"), "properties": properties})
    return cases


def test_the_suite_is_green_and_leaves_the_cloud_as_it_found_it(embedded_cloud, admin_conn, tmp_path):
    conn = admin_conn
    usages_before = usages(conn)

    run = run_behave(tmp_path, embedded_cloud.layout.root)

    output = f"--- stdout\n{run.stdout[-6000:]}\n--- stderr\n{run.stderr[-4000:]}"
    assert run.returncode == 0, output
    cases = junit_testcases(tmp_path / "reports-out" / "junit")
    assert len(cases) >= 9, output
    not_passed = [(c["name"], c["status"]) for c in cases if c["status"] != "passed"]
    assert not_passed == [], output
    assert all(int(c["properties"]["requests.total"]) > 0 for c in cases)
    assert (tmp_path / "reports-out" / "report.html").is_file()

    assert suite_leftovers(conn) == {"servers": [], "flavors": []}
    for host, service in compute_services(conn).items():
        assert service == {"status": "enabled", "state": "up", "forced_down": False}, host
    assert usages(conn) == usages_before
