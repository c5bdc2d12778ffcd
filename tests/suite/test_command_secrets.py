"""A command setting may carry a password or token (``sshpass -p``,
``--os-password``, ``PASSWORD=``): with a canary in every command setting,
a run whose stop command fails -- and echoes itself on stderr -- must name
the setting and the host, and the canary must reach no artefact: console,
suite.log, JUnit, the HTML report, anything else in the run's directories."""

from __future__ import annotations

import shlex

from tests.suite.behave_run import junit_testcases, usages
from tests.suite.test_suite_as_a_real_cloud_user import CLI, assert_nothing_left, run_as_user

CANARY = "Canary-7c1e"


def canary_commands(cloud_dir) -> dict[str, str]:
    cli = f"{shlex.quote(str(CLI))} --run-dir {shlex.quote(str(cloud_dir))}"
    return {
        # Fails, and prints itself (its secret included) on stderr.
        "stop_compute_command": f"sh -c 'echo \"$@\" >&2; exit 3' stop sshpass -p {CANARY}-stop {{host}}",
        "start_compute_command": f"PASSWORD={CANARY}-start {cli} compute start {{host}}",
        "kill_compute_command": f"OS_TOKEN={CANARY}-kill {cli} compute kill {{host}}",
        "cut_placement_path_command": f"OS_PASSWORD={CANARY}-cut {cli} placement-path cut",
        "restore_placement_path_command": f"MYSQL_PASSWORD={CANARY}-restore {cli} placement-path restore",
        "audit_command": f"sh -c 'exit 0' audit --os-password {CANARY}-audit --os-token={CANARY}-tok",
    }


def test_no_secret_of_a_failing_command_reaches_any_artefact(embedded_cloud, admin_conn, tmp_path):
    usages_before = usages(admin_conn)
    commands = canary_commands(embedded_cloud.layout.root)
    args = [arg for key, value in commands.items() for arg in ("-D", f"{key}={value}")]
    run = run_as_user(embedded_cloud, tmp_path, *args, "-D", "timeout.service_state=20",
                      "--name", "was stopped frees")
    assert run.returncode == 1, run.output()
    # The failure names the setting and the host, and shows the command masked.
    assert ("stop compute on compute1 (-D stop_compute_command): `sh -c 'echo \"$@\" >&2; exit 3' "
            "stop sshpass -p *** compute1` exited 3") in run.stdout, run.output()
    [failed] = [c for c in junit_testcases(run.junit_dir) if c["status"] in ("failed", "error")]
    assert "-D stop_compute_command" in failed["message"]
    assert CANARY not in run.stdout + run.stderr
    artefacts = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert {p.name for p in artefacts} >= {"suite.log", "report.html"}, sorted(map(str, artefacts))
    assert any(p.suffix == ".xml" for p in artefacts)
    leaked = [str(p) for p in artefacts if CANARY.encode() in p.read_bytes()]
    assert leaked == []
    assert_nothing_left(admin_conn, usages_before, run)
