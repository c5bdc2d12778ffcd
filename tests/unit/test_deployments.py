"""Deployment presets (-D deployment=...): the commands each fills, what an
explicit command overrides, and bad input (acceptance/deployments.py)."""

import pytest

from acceptance.settings import SettingsError, resolve

CLOUD = {"cloud": "mycloud", "image": "cirros"}
SSH = "ssh -o BatchMode=yes {host}"


def settings(**userdata):
    return resolve({**CLOUD, **userdata}, {})


@pytest.mark.parametrize("deployment, unit", [
    ("devstack", "devstack@n-cpu.service"),
    ("kolla", "kolla-nova_compute-container.service"),
    ("openstack-ansible", "nova-compute.service"),
])
def test_each_preset_stops_and_starts_through_the_supervisor_and_kills_then_stops(deployment, unit):
    s = settings(deployment=deployment, ssh=SSH)
    assert s.stop_compute_command == f"{SSH} 'sudo systemctl stop {unit}'"
    assert s.start_compute_command == f"{SSH} 'sudo systemctl start {unit}'"
    assert s.kill_compute_command.endswith(f" && sudo systemctl stop {unit}'")
    assert s.probe_command == f"{SSH} 'sudo systemctl cat {unit} >/dev/null'"
    assert s.fault_control == "auto" and s.preset_notes == ()


def test_kolla_kills_the_container_not_the_units_client_with_the_engine_asked_for():
    s = settings(deployment="kolla", container_engine="podman")
    assert s.kill_compute_command == ("sudo podman kill nova_compute && "
                                      "sudo systemctl stop kolla-nova_compute-container.service")
    assert s.audit_command.startswith("sudo podman exec -u root nova_api nova-manage")


def test_the_cut_runs_on_every_controller_and_the_audit_on_the_first():
    s = settings(deployment="kolla", ssh=SSH, controller="ctl1 ctl2")
    rule = "OUTPUT -p tcp --dport 8780 -m owner --uid-owner 42436 -j REJECT"
    assert s.cut_placement_path_command == (f"ssh -o BatchMode=yes ctl1 'sudo iptables -I {rule}' && "
                                            f"ssh -o BatchMode=yes ctl2 'sudo iptables -I {rule}'")
    assert s.restore_placement_path_command.count("iptables -D") == 2
    assert s.audit_command.startswith("ssh -o BatchMode=yes ctl1 'sudo docker exec")


def test_devstack_has_no_cut_and_says_why():
    s = settings(deployment="devstack")
    assert s.cut_placement_path_command is None
    assert s.why_no_cut.startswith("deployment=devstack has no safe Placement cut")
    given = settings(deployment="devstack", cut_placement_path_command="cut", restore_placement_path_command="r")
    assert given.why_no_cut is None


def test_an_explicit_command_overrides_its_one_command_and_says_so_once():
    s = settings(deployment="openstack-ansible", stop_compute_command="ssh {host} sudo docker stop x")
    assert s.stop_compute_command == "ssh {host} sudo docker stop x"
    assert s.start_compute_command == "sudo systemctl start nova-compute.service"
    assert s.preset_notes == ("note: -D stop_compute_command is given, so the openstack-ansible "
                              "preset's `sudo systemctl stop nova-compute.service` is not used",)


@pytest.mark.parametrize("userdata, message", [
    ({"deployment": "kola"}, "deployment='kola' is not one of devstack, kolla, openstack-ansible"),
    ({"deployment": "kolla", "container_engine": "rkt"}, "container_engine='rkt' is not one of docker, podman"),
    ({"deployment": "devstack", "container_engine": "podman"}, "container_engine applies to deployment=kolla only"),
    ({"deployment": "kolla", "ssh": "ssh host"}, "ssh='ssh host' has no {host}"),
    ({"ssh": SSH}, "ssh needs -D deployment=... (one of devstack, kolla, openstack-ansible)"),
])
def test_bad_preset_input_is_one_line_naming_the_valid_values(userdata, message):
    with pytest.raises(SettingsError) as error:
        settings(**userdata)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
