import subprocess

import pytest

from acceptance import faults as declared
from acceptance.cloud import fault_control as faults
from acceptance.settings import resolve, with_embedded_defaults

STOP = "ssh {host} sudo systemctl stop nova-compute"
START = "ssh {host} sudo systemctl start nova-compute"
KILL = "ssh {host} sudo systemctl kill --signal=SIGKILL nova-compute"


class Recorder:
    """Stands in for subprocess.run: records the command, answers as told."""

    def __init__(self, returncode=0, stderr=""):
        self.commands = []
        self.returncode, self.stderr = returncode, stderr

    def __call__(self, command, **kwargs):
        self.commands.append((command, kwargs))
        return subprocess.CompletedProcess(command, self.returncode, stdout="", stderr=self.stderr)


def command_control(runner, kill=None):
    return faults.CommandFaultControl(stop=STOP, start=START, kill=kill, runner=runner)


def test_command_templates_get_the_host_shell_quoted():
    runner = Recorder()
    control = command_control(runner, kill=KILL)
    control.apply(declared.STOP, "compute1")
    control.apply(declared.KILL, "compute1")
    control.start_compute("host with space;rm -rf /")
    assert [command for command, _ in runner.commands] == [
        "ssh compute1 sudo systemctl stop nova-compute",
        "ssh compute1 sudo systemctl kill --signal=SIGKILL nova-compute",
        "ssh 'host with space;rm -rf /' sudo systemctl start nova-compute",
    ]
    assert runner.commands[0][1]["shell"] is True


def test_a_failing_command_raises_with_its_exit_code_and_output():
    control = command_control(Recorder(returncode=255, stderr="ssh: connect to host compute1: refused\n"))
    with pytest.raises(faults.FaultControlError) as error:
        control.apply(declared.STOP, "compute1")
    assert str(error.value) == (
        "stop compute on compute1 (-D stop_compute_command): `ssh compute1 sudo systemctl stop "
        "nova-compute` exited 255: "
        "ssh: connect to host compute1: refused"
    )


def test_a_command_that_hangs_is_stopped_and_reported():
    def hangs(command, **kwargs):
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    control = faults.CommandFaultControl(stop=STOP, start=START, timeout=5, runner=hangs)
    with pytest.raises(faults.FaultControlError, match=r"did not finish in 5 s"):
        control.start_compute("compute1")


SECRET_COMMAND = ("sshpass -p pw-canary ssh {host} env PASSWORD=env-canary "
                  "openstack --os-password os-canary --os-token=tok-canary compute service set")


@pytest.mark.parametrize("fails", ["exit", "hang"])
def test_a_failing_command_names_its_setting_and_host_and_masks_its_secrets(fails):
    def runner(command, **kwargs):
        if fails == "hang":
            raise subprocess.TimeoutExpired(command, kwargs["timeout"])
        # A command that echoes itself: its output is masked too.
        return subprocess.CompletedProcess(command, 3, "", f"failed: {command}\n")

    control = faults.CommandFaultControl(stop=SECRET_COMMAND, start=START, runner=runner)
    with pytest.raises(faults.FaultControlError) as error:
        control.apply(declared.STOP, "compute1")
    message = str(error.value)
    assert message.startswith("stop compute on compute1 (-D stop_compute_command): `sshpass -p *** ssh "
                              "compute1 env PASSWORD=*** openstack --os-password *** --os-token=*** ")
    assert "canary" not in message
    # subprocess's TimeoutExpired holds the whole command: not chained.
    assert error.value.__cause__ is None
    assert error.value.__context__ is None or error.value.__suppress_context__


def test_command_control_says_what_it_cannot_do():
    control = command_control(Recorder())
    assert control.missing(declared.STOP.name) is None
    assert control.missing(faults.START) is None
    assert "kill_compute_command" in control.missing(declared.KILL.name)
    assert "cut_placement_path_command" in control.missing(faults.CUT_PLACEMENT_PATH)
    with pytest.raises(faults.FaultControlError, match="kill_compute_command"):
        control.apply(declared.KILL, "compute1")
    with pytest.raises(faults.FaultControlError, match="Placement"):
        control.cut_placement_path()


PUBLISHED = {"stop_compute_command": "embedded-cloud compute stop {host}",
             "start_compute_command": "embedded-cloud compute start {host}",
             "kill_compute_command": "embedded-cloud compute kill {host}",
             "freeze_compute_command": "embedded-cloud compute freeze {host}",
             "thaw_compute_command": "embedded-cloud compute thaw {host}",
             "cut_placement_path_command": "embedded-cloud placement-path cut",
             "restore_placement_path_command": "embedded-cloud placement-path restore",
             "audit_command": "embedded-cloud nova-manage placement audit --verbose"}


def test_auto_on_the_embedded_cloud_runs_the_commands_it_published():
    runner = Recorder()
    settings = with_embedded_defaults(resolve({}, {}), PUBLISHED, 1.0)
    control = faults.choose(settings)
    control._run = runner
    assert control.name == "embedded" and settings.report_interval == 1.0
    assert all(control.missing(capability) is None for capability in faults.CAPABILITIES)
    control.apply(declared.KILL, "compute1")
    control.cut_placement_path()
    assert [command for command, _ in runner.commands] == [
        "embedded-cloud compute kill compute1", "embedded-cloud placement-path cut"]


def test_on_the_embedded_cloud_a_command_given_wins_over_the_published_one():
    settings = with_embedded_defaults(
        resolve({"stop_compute_command": STOP, "start_compute_command": START,
                 "report_interval": "2"}, {}), PUBLISHED, 1.0)
    assert settings.stop_compute_command == STOP and settings.start_compute_command == START
    assert settings.kill_compute_command == PUBLISHED["kill_compute_command"]
    assert settings.report_interval == 2.0


def test_auto_chooses_commands_when_both_are_given():
    settings = resolve({"cloud": "prod", "stop_compute_command": STOP, "start_compute_command": START}, {})
    assert isinstance(faults.choose(settings), faults.CommandFaultControl)


def test_auto_without_commands_on_a_real_cloud_means_none_with_a_reason():
    control = faults.choose(resolve({"cloud": "prod"}, {}))
    assert control.name == "none"
    for capability in faults.CAPABILITIES:
        assert "stop_compute_command" in control.missing(capability)
    with pytest.raises(faults.FaultControlError):
        control.apply(declared.STOP, "compute1")


def test_none_is_none_even_on_the_embedded_cloud():
    settings = with_embedded_defaults(resolve({"fault_control": "none"}, {}), PUBLISHED, 1.0)
    control = faults.choose(settings)
    assert control.missing(declared.STOP.name) == "fault control is switched off (-D fault_control=none)"
    # nova's audit is no fault: it stays
    assert settings.stop_compute_command is None and settings.audit_command == PUBLISHED["audit_command"]


def test_placement_path_commands_run_as_given():
    runner = Recorder()
    control = faults.CommandFaultControl(stop=STOP, start=START, runner=runner,
                                         cut_placement_path="cut {it}", restore_placement_path="restore")
    assert control.missing(faults.CUT_PLACEMENT_PATH) is None
    control.cut_placement_path()
    control.restore_placement_path()
    assert [command for command, _ in runner.commands] == ["cut {it}", "restore"]


def test_a_failing_placement_path_command_says_which():
    control = faults.CommandFaultControl(stop=STOP, start=START, runner=Recorder(returncode=1),
                                         cut_placement_path="cut", restore_placement_path="restore")
    with pytest.raises(faults.FaultControlError, match=r"^restore nova-api's path to Placement \(-D restore_placement_path_command\): `restore` exited 1"):
        control.restore_placement_path()


def test_choose_passes_the_placement_path_commands():
    settings = resolve({"cloud": "prod", "stop_compute_command": STOP, "start_compute_command": START,
                        "cut_placement_path_command": "cut", "restore_placement_path_command": "restore"}, {})
    assert faults.choose(settings).missing(faults.CUT_PLACEMENT_PATH) is None
