"""acceptance/faults.py: each fault declared once, and what derives from it."""

import subprocess

import parse
import pytest

from acceptance import deployments, faults
from acceptance.cloud import fault_control
from acceptance.safety.ledger import outstanding_from
from acceptance.scenario.step_types import parse_outage
from acceptance.settings import EMBEDDED_COMMAND_KEYS, KNOWN_KEYS, SettingsError, resolve
from acceptance.tags import TAGS, unmet
from tests.unit.test_hosts_and_tags import suite

EVERY_FAULT = list(faults.FAULTS.values())


def test_the_declared_faults_are_stop_kill_and_freeze_and_only_freeze_has_an_undo():
    assert list(faults.FAULTS) == ["stop", "kill", "freeze"]
    assert [f.undo.key for f in EVERY_FAULT if f.undo] == ["thaw_compute_command"]
    assert faults.COMPUTE_COMMAND_KEYS == ("start_compute_command", "stop_compute_command",
                                           "kill_compute_command", "freeze_compute_command",
                                           "thaw_compute_command")


@pytest.mark.parametrize("key", faults.COMPUTE_COMMAND_KEYS)
def test_every_command_is_a_setting_the_embedded_cloud_publishes_and_a_preset_fills(key):
    assert key in KNOWN_KEYS and key in EMBEDDED_COMMAND_KEYS and key in deployments.COMMAND_KEYS
    for deployment in deployments.DEPLOYMENTS:
        assert deployments.commands(deployment)[key]
    assert resolve({"cloud": "lab", key: "x {host}"}, {}).compute_commands[key] == "x {host}"


@pytest.mark.parametrize("fault", EVERY_FAULT, ids=lambda f: f.name)
def test_a_steps_words_parse_to_the_fault(fault):
    pattern = parse.compile("nova-compute is {fault:Outage} and", {"Outage": parse_outage})
    assert pattern.parse(f"nova-compute is {fault.outage} and")["fault"] is fault


def test_a_word_no_fault_declares_is_not_a_step():
    pattern = parse.compile("nova-compute is {fault:Outage} and", {"Outage": parse_outage})
    assert pattern.parse("nova-compute is paused and") is None


@pytest.mark.parametrize("fault", [f for f in EVERY_FAULT if f.tag], ids=lambda f: f.name)
def test_a_fault_with_a_tag_skips_its_scenarios_naming_each_missing_command(fault):
    assert fault.tag in TAGS
    only_stop = suite(fault_control.CommandFaultControl(stop="stop {host}", start="start {host}"))
    assert unmet(only_stop, [fault.tag]) == (
        f"@{fault.tag}: fault_control=command has no {fault.command.key}; "
        f"pass -D {fault.command.key}='...{{host}}...'")
    if fault.undo:  # the fault without its undo is not enough: the restore could not put it back
        half = suite(fault_control.CommandFaultControl(
            stop="stop {host}", start="start {host}", **{fault.command.verb: "x {host}"}))
        assert fault.undo.key in unmet(half, [fault.tag])


def test_a_freeze_template_with_a_typo_is_one_line_with_a_systemd_example():
    with pytest.raises(SettingsError) as error:
        resolve({"cloud": "lab", "freeze_compute_command": "ssh {hots} kill -STOP"}, {})
    assert str(error.value) == (
        "freeze_compute_command='ssh {hots} kill -STOP' has an unknown placeholder {hots}; use "
        "{host} for the compute host and double any other brace, e.g. -D freeze_compute_command="
        "'ssh {host} sudo systemctl kill --signal=SIGSTOP nova-compute'")


class Recorder:
    def __init__(self):
        self.commands = []

    def __call__(self, command, **kwargs):
        self.commands.append(command)
        return subprocess.CompletedProcess(command, 0, "", "")


def test_a_driver_applies_every_fault_in_one_method_and_undoes_only_what_has_an_undo():
    runner = Recorder()
    control = fault_control.CommandFaultControl(
        commands={key: f"{key.removesuffix('_compute_command')} {{host}}" for key in faults.COMPUTE_COMMAND_KEYS},
        runner=runner)
    for fault in EVERY_FAULT:
        control.apply(fault, "compute1")
        control.undo(fault, "compute1")
    assert runner.commands == ["stop compute1", "kill compute1", "freeze compute1", "thaw compute1"]


def test_the_ledger_names_the_fault_and_an_older_record_without_one_is_a_stop():
    todo = outstanding_from([
        {"event": "will_stop_compute", "host": "compute1"},  # written before faults had names
        {"event": "will_stop_compute", "host": "compute2", "fault": "freeze"},
    ])
    assert [f.name for f in todo.faults_of("compute1")] == ["stop"]
    assert todo.faults_of("compute2") == [faults.FREEZE]
    assert todo.describe() == ["nova-compute on compute1: stopped by the suite",
                               "nova-compute on compute2: frozen by the suite"]
    started = outstanding_from([{"event": "will_stop_compute", "host": "compute2", "fault": "freeze"},
                                {"event": "compute_started", "host": "compute2"}])
    assert not started
