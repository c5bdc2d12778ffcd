"""The suite as its users install it: built from this checkout into a fresh
virtualenv with its declared dependencies only (pip's cache may serve them),
nothing of the cloud it tests; run from a directory outside the checkout
through its console script, against the session's embedded cloud known only
by a clouds.yaml entry, with fault templates that call the embedded cloud's
command from the project's virtualenv (as `systemctl stop devstack@n-cpu`
would on a DevStack).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT
from tests.openstack_kit import IMAGE
from tests.suite.behave_run import SUITE_TIMEOUT, BehaveRun, junit_testcases, usages
from tests.suite.test_suite_as_a_real_cloud_user import assert_nothing_left, fault_commands

# What the suite must not pull in (pip names, lower case).
CLOUD_PACKAGES = {"nova", "keystone", "glance", "openstack-placement", "nova-embedded-cloud",
                  "pymysql", "sqlalchemy", "gunicorn", "pytest", "lxml", "xmlschema",
                  "oslo-messaging", "oslo-db"}
CLOUD_NAME = "lab"


@pytest.fixture(scope="module")
def suite_venv(tmp_path_factory) -> Path:
    """A fresh virtualenv holding the suite's package and its declared dependencies."""
    venv = tmp_path_factory.mktemp("suite-venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    started = time.monotonic()
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
         "-c", str(PROJECT / "constraints.txt"), str(PROJECT)],
        capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"the suite's package built and installed in {time.monotonic() - started:.0f} s")
    return venv


def clean_env(venv: Path) -> dict[str, str]:
    """No OS_* variable, and no project virtualenv on PATH: the suite can
    find nothing of the embedded cloud by itself."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OS_") and k not in ("EMBEDDED_CLOUD_DIR", "VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}:/usr/bin:/bin"
    return env


def user_clouds_yaml(embedded_cloud, directory: Path) -> Path:
    """The user's own clouds.yaml: one entry, `lab`, for the embedded cloud's admin."""
    entry = yaml.safe_load(embedded_cloud.layout.clouds_yaml.read_text())["clouds"]["embedded-admin"]
    path = directory / "clouds.yaml"
    path.write_text(yaml.safe_dump({"clouds": {CLOUD_NAME: entry}}))
    path.chmod(0o600)
    return path


def installed(venv: Path) -> set[str]:
    done = subprocess.run([str(venv / "bin" / "pip"), "list", "--format=freeze",
                           "--disable-pip-version-check"], capture_output=True, text=True, check=True)
    return {line.split("==")[0].lower().replace("_", "-") for line in done.stdout.split()}


def test_the_package_holds_the_suite_and_nothing_of_the_cloud(suite_venv):
    packages = installed(suite_venv)
    assert {"nova-leak-check", "behave", "openstacksdk", "pyhamcrest"} <= packages
    assert packages & CLOUD_PACKAGES == set()
    assert not (suite_venv / "bin" / "embedded-cloud").exists()
    for module in ("embedded_cloud", "nova", "pymysql", "xmlschema"):
        done = subprocess.run([str(suite_venv / "bin" / "python"), "-c", f"import {module}"],
                              capture_output=True, text=True, cwd="/")
        assert done.returncode == 1 and "ModuleNotFoundError" in done.stderr, module


def test_the_whole_suite_is_green_from_the_package_on_a_clouds_yaml_cloud(
        suite_venv, embedded_cloud, admin_conn, tmp_path):
    usages_before = usages(admin_conn)
    work = tmp_path / "work"  # outside the checkout: the reports land here
    work.mkdir()
    env = clean_env(suite_venv)
    env["OS_CLIENT_CONFIG_FILE"] = str(user_clouds_yaml(embedded_cloud, tmp_path))
    started = time.monotonic()
    done = subprocess.run(
        [str(suite_venv / "bin" / "nova-leak-check"), "-D", f"cloud={CLOUD_NAME}",
         "-D", f"image={IMAGE}", "-D", "report_interval=1", "-D", f"run_dir={tmp_path / 'run'}",
         *fault_commands(embedded_cloud.layout.root)],  # the audit command among them
        cwd=work, env=env, capture_output=True, text=True, timeout=SUITE_TIMEOUT)
    run = BehaveRun(work, done.returncode, done.stdout, done.stderr)
    print(f"the suite from its package: {time.monotonic() - started:.0f} s")
    assert run.returncode == 0, run.output()
    assert f"cloud: {CLOUD_NAME} (from userdata)" in run.stderr and "fault control command" in run.stderr
    cases = junit_testcases(run.junit_dir)
    assert len(cases) >= 9, run.output()
    assert [(c["name"], c["status"]) for c in cases if c["status"] != "passed"] == [], run.output()
    assert run.html_path.stat().st_size > 10_000
    assert_nothing_left(admin_conn, usages_before, run)


def test_with_no_cloud_named_and_no_embedded_cloud_it_says_how_in_one_line(suite_venv, tmp_path):
    done = subprocess.run([str(suite_venv / "bin" / "nova-leak-check")], cwd=tmp_path,
                          env=clean_env(suite_venv), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = [line for line in done.stderr.splitlines() if "not installed" in line]
    assert "-D cloud=NAME" in line and "Traceback" not in done.stdout + done.stderr


def test_an_unknown_option_is_behaves_usage_error(suite_venv, tmp_path):
    done = subprocess.run([str(suite_venv / "bin" / "nova-leak-check"), "--no-such-option"],
                          cwd=tmp_path, env=clean_env(suite_venv), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "unrecognized arguments: --no-such-option" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_steps_catalog_and_the_living_spec_work_from_the_package(suite_venv, tmp_path):
    env = clean_env(suite_venv)
    catalog = subprocess.run([str(suite_venv / "bin" / "nova-leak-check"), "--steps-catalog"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert catalog.returncode == 0, catalog.stdout + catalog.stderr
    assert 'Given the server "{label}" is ACTIVE on the {role:HostRole}' in catalog.stdout
    spec = subprocess.run([str(suite_venv / "bin" / "living-spec"), "-o", "spec.html"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert spec.returncode == 0, spec.stdout + spec.stderr
    assert "wrote spec.html (6 features)" in spec.stdout
    assert "A compute service frees, when it starts, what a local delete left behind" in \
        (tmp_path / "spec.html").read_text()


def test_behave_runs_the_clones_features_in_a_venv_that_holds_only_the_suite(suite_venv, tmp_path):
    """From a clone: behave with the clone's behave.ini and features, the
    suite's code from the package (a dry run: every step is bound)."""
    (tmp_path / "behave.ini").write_text((PROJECT / "behave.ini").read_text())
    done = subprocess.run([str(suite_venv / "bin" / "behave"), "--dry-run", str(PROJECT / "features"),
                           "-D", f"cloud={CLOUD_NAME}"],
                          cwd=tmp_path, env=clean_env(suite_venv), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.rsplit("\n\n", 1)[-1]
    assert "untested" in summary and "undefined" not in summary, summary
    assert (tmp_path / "reports-out" / "report.html").exists()
