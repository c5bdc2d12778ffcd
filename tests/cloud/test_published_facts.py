"""`embedded-cloud facts`: the whole contract between the suite and the
embedded cloud (the suite imports none of the cloud's code). It names the
cloud's clouds.yaml, image and nova settings, and commands that work as the
suite runs them; it holds no secret."""

from __future__ import annotations

import json
import subprocess

from acceptance.cloud import embedded
from tests.openstack_kit import embedded_cloud_cli


def test_the_facts_name_what_the_suite_needs_and_no_secret(embedded_cloud):
    done = embedded_cloud_cli(embedded_cloud.layout.root, "facts")
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    assert facts["clouds_yaml"] == str(embedded_cloud.layout.clouds_yaml)
    assert facts["image_id"] == embedded_cloud.state.image_id
    assert facts["nova"]["DEFAULT.report_interval"] == "1"
    assert facts["nova"]["DEFAULT.update_resources_interval"] == "3600"
    assert sorted(facts["settings"]) == sorted(
        ["stop_compute_command", "kill_compute_command", "start_compute_command",
         "freeze_compute_command", "thaw_compute_command",
         "cut_placement_path_command", "restore_placement_path_command", "audit_command"])
    for password in embedded_cloud.state.passwords.values():
        assert password not in done.stdout


def test_the_suite_reads_them_and_runs_the_published_audit(embedded_cloud):
    facts = embedded.facts(str(embedded_cloud.layout.root))
    assert facts.admin_cloud == "embedded-admin"
    audit = subprocess.run(facts.settings["audit_command"], shell=True, capture_output=True,
                           text=True, timeout=300)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_a_run_directory_without_a_cloud_has_no_facts(tmp_path):
    done = embedded_cloud_cli(tmp_path / "nothing", "facts")
    assert done.returncode == 2
    assert done.stderr.strip() == (f"embedded-cloud: no embedded cloud was set up in {tmp_path / 'nothing'}; "
                                   "start it with `embedded-cloud up`")
