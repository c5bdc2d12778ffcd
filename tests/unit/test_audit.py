"""acceptance.cloud.audit without a cloud: how nova-manage placement audit is run
(per provider, once, or not at all) and how its verbose output is read."""

import subprocess

import pytest

from acceptance.cloud.audit import NO_AUDIT, Audit, AuditError, AuditRun
from acceptance.settings import SettingsError, resolve

LEAK = "65acb7c2-33b8-4a2e-94f3-bd682a692924"
PROVIDER = "dde493cb-d976-4bdf-ab64-dd55b3aa941e"
# nova-manage placement audit --verbose, as nova 2025.x printed it for the heal's leak.
VERBOSE = (
    f"Allocations were set against consumer UUID {LEAK} but no existing instances or active "
    "migrations are related. \n"
    f"Allocations for consumer UUID {LEAK} on Resource Provider {PROVIDER} can be deleted: "
    "{'DISK_GB': 1, 'MEMORY_MB': 512, 'VCPU': 1}\nProcessed 1 allocation.\n"
)


class FakeShell:
    def __init__(self, returncode=0, stdout="", stderr=""):
        self.commands, self.done = [], (returncode, stdout, stderr)

    def __call__(self, command, **kwargs):
        assert kwargs["shell"] is True and kwargs["capture_output"] is True
        self.commands.append(command)
        return subprocess.CompletedProcess(command, *self.done)


def test_a_command_naming_the_provider_runs_once_per_provider_shell_quoted():
    shell = FakeShell()
    audit = Audit(template="ssh ctl sudo nova-manage placement audit --resource_provider {provider}", runner=shell)
    runs = audit.run(["b-uuid", "a uuid"])
    assert shell.commands == ["ssh ctl sudo nova-manage placement audit --resource_provider 'a uuid'",
                              "ssh ctl sudo nova-manage placement audit --resource_provider b-uuid"]
    assert [run.returncode for run in runs] == [0, 0] and audit.missing is None


def test_a_command_without_the_provider_runs_once_for_the_whole_cloud():
    shell = FakeShell(3, VERBOSE)
    runs = Audit(template="nova-manage placement audit --verbose", runner=shell).run(["x", "y"])
    assert shell.commands == ["nova-manage placement audit --verbose"]
    assert runs[0].orphans == [(LEAK, PROVIDER)]


def test_without_a_command_or_the_embedded_cloud_it_says_how_to_give_one():
    audit = Audit()
    assert audit.missing == NO_AUDIT and "-D audit_command=" in NO_AUDIT and "{provider}" in NO_AUDIT
    with pytest.raises(AuditError):
        audit.run(["x"])


def test_the_report_text_has_the_command_exit_and_output_and_stderr_only_on_an_error():
    ok = AuditRun("nova-manage placement audit", 3, VERBOSE, "DeprecationWarning: eventlet", 4.25)
    text = ok.describe()
    assert text.startswith("$ nova-manage placement audit\nexit 3 after 4.2 s\n") and LEAK in text
    assert "eventlet" not in text
    broken = AuditRun("c", 1, "", "line\nKeyError: 'placement'", 1.0).describe()
    assert "(no output)" in broken and "KeyError: 'placement'" in broken


def test_a_timeout_is_an_audit_error_naming_the_command():
    def slow(command, **kwargs):
        raise subprocess.TimeoutExpired(command, 1)

    with pytest.raises(AuditError, match="`sleep` did not finish"):
        Audit(template="sleep", runner=slow, timeout=1).run([])


def test_audit_command_is_a_setting_and_a_bad_placeholder_is_one_line_with_the_fix():
    assert resolve({"audit_command": "a {provider}"}, {}).audit_command == "a {provider}"
    assert resolve({}, {}).audit_command is None
    with pytest.raises(SettingsError, match=r"unknown placeholder \{host\}; use \{provider\}.*audit --verbose"):
        resolve({"audit_command": "ssh {host} nova-manage placement audit"}, {})


def test_an_audit_that_cannot_reach_placement_while_the_path_is_cut_says_the_cut_is_too_broad():
    from types import SimpleNamespace

    from acceptance.scenario import step_types

    step_types.register()  # as features/environment.py does before behave loads the steps
    from features.steps.audit import check

    broken = AuditRun("ssh ctl1 'sudo docker exec nova_api nova-manage placement audit --verbose'", 255,
                      "An error has occurred:\nkeystoneauth1.exceptions.connection.ConnectFailure: "
                      "Unable to establish connection to http://10.0.0.10:8780/resource_providers", "", 1.2)
    for cut, expected in ((True, "the Placement cut is too broad: nova's placement audit"),
                          (False, "nova's placement audit failed: `ssh ctl1")):
        context = SimpleNamespace(suite=SimpleNamespace(services=SimpleNamespace(placement_path_cut=cut)))
        with pytest.raises(AssertionError) as error:
            check(context, [broken], [])
        assert str(error.value).startswith(expected)
