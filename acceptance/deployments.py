"""Fault commands per deployment tool (``-D deployment=...``), as os-faults
had a driver per deployment. Each preset fills the start command and each
fault's (acceptance/faults.py: stop, kill, freeze and its thaw), and the
probe, audit and Placement-cut commands; an explicit ``-D ..._command`` overrides
its one command. The upstream files each fact comes from are cited in
features/README.md ("Presets").

How the suite reaches a host: ``-D ssh='ssh -o BatchMode=yes {host}'``
(empty: the local host) for the computes, and ``-D controller=HOST`` (one
or more, space-separated; empty: the local host) for nova-manage and the
Placement cut, which run on the host(s) of nova-api.

A supervisor brings a killed nova-compute back (Kolla-Ansible's units have
``Restart=always``, OpenStack-Ansible's ``Restart=on-failure``), so every
kill is followed by the supervisor's own stop: the process stays dead, as
after a crash an operator did not recover from.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from acceptance import faults

DEVSTACK, KOLLA, OPENSTACK_ANSIBLE = "devstack", "kolla", "openstack-ansible"
DEPLOYMENTS = (DEVSTACK, KOLLA, OPENSTACK_ANSIBLE)
CONTAINER_ENGINES = ("docker", "podman")
# Settings keys a preset fills (probe_command only from a preset: preflight's probe).
COMMAND_KEYS = (*faults.COMPUTE_COMMAND_KEYS,
                "audit_command", "cut_placement_path_command", "restore_placement_path_command")

AUDIT = "nova-manage placement audit --verbose"
PLACEMENT_PORT = 8780  # Kolla-Ansible placement_api_port; OpenStack-Ansible placement_service_port
KOLLA_NOVA_UID = 42436  # kolla/common/users.py 'nova-user'
# The rule that rejects nova's own connections to Placement, and only
# those: the owner match leaves root (nova-manage run as root, haproxy as
# its own user) alone.
_REJECT = "OUTPUT -p tcp --dport {port} -m owner --uid-owner {uid} -j REJECT"


class PresetError(ValueError):
    """A preset asked for wrongly; the message names the valid values."""


@dataclass(frozen=True)
class Preset:
    """Commands on one host; ``{host}`` is filled in later (shell-quoted)."""

    deployment: str
    unit: str  # the systemd unit of nova-compute
    compute: dict[str, str]  # verb (faults.Command.verb: start, stop, kill, ...) -> command
    probe: str  # harmless: succeeds when the host answers and the unit exists
    audit: str | None  # on the controller
    cut: str | None  # on each controller
    restore: str | None
    why_no_cut: str | None = None


def _systemd(unit: str, kill: str, **compute: str) -> dict:
    """``compute``: a command that differs from systemd's own (Kolla's
    containers). A frozen process is no exit, so no Restart= acts on it."""
    return {
        "unit": unit,
        "compute": {
            "stop": f"sudo systemctl stop {unit}",
            "start": f"sudo systemctl start {unit}",
            # then the supervisor's stop: no Restart= brings it back
            "kill": f"{kill} && sudo systemctl stop {unit}",
            "freeze": f"sudo systemctl kill -s SIGSTOP {unit}",
            "thaw": f"sudo systemctl kill -s SIGCONT {unit}",
            **compute,
        },
        "probe": f"sudo systemctl cat {unit} >/dev/null",
    }


def _preset(deployment: str, engine: str) -> Preset:
    if deployment == DEVSTACK:
        unit = "devstack@n-cpu.service"
        return Preset(
            DEVSTACK, **_systemd(unit, f"sudo systemctl kill -s KILL {unit}"),
            audit=f"{AUDIT}",
            cut=None, restore=None,
            why_no_cut=(
                "deployment=devstack has no safe Placement cut: DevStack serves Placement under "
                "/placement on the web server's port, as it serves Keystone under /identity, and runs "
                "nova-api, nova-compute and nova-manage as the same user, so no port or owner rule "
                "blocks only nova-api's requests to Placement; pass -D cut_placement_path_command and "
                "-D restore_placement_path_command if you have one"),
        )
    if deployment == KOLLA:
        # kolla_systemd_worker.py: ExecStart=/usr/bin/<engine> start -a <name>, so
        # `systemctl kill` would hit the client, not the container: kill the container.
        unit = "kolla-nova_compute-container.service"
        rule = _REJECT.format(port=PLACEMENT_PORT, uid=KOLLA_NOVA_UID)
        return Preset(
            # pause/unpause: the cgroup freezer, the container's SIGSTOP/SIGCONT
            # (a signal to its PID 1, dumb-init, would not stop nova-compute).
            KOLLA, **_systemd(unit, f"sudo {engine} kill nova_compute",
                              freeze=f"sudo {engine} pause nova_compute",
                              thaw=f"sudo {engine} unpause nova_compute"),
            # As root: the cut's owner rule matches the nova user (every Kolla nova
            # container runs as it, on the host's network); no root-owned log left.
            audit=f"sudo {engine} exec -u root nova_api nova-manage --log-file /dev/null "
                  "placement audit --verbose",
            cut=f"sudo iptables -I {rule}",
            restore=f"sudo iptables -D {rule}",
        )
    if deployment == OPENSTACK_ANSIBLE:
        unit = "nova-compute.service"
        # nova-api runs in an LXC container with its own network stack, as the
        # user nova; lxc-attach runs as root, so the audit passes the rule.
        container = '"$(sudo lxc-ls -1 --filter nova_api_container | head -n 1)"'
        rule = _REJECT.format(port=PLACEMENT_PORT, uid="nova")
        return Preset(
            OPENSTACK_ANSIBLE, **_systemd(unit, f"sudo systemctl kill -s KILL {unit}"),
            audit=f"sudo lxc-attach -n {container} -- sh -c "
                  f"{shlex.quote('/openstack/venvs/nova-*/bin/' + AUDIT)}",
            cut=f"sudo lxc-attach -n {container} -- iptables -I {rule}",
            restore=f"sudo lxc-attach -n {container} -- iptables -D {rule}",
        )
    raise PresetError(f"deployment={deployment!r} is not one of {', '.join(DEPLOYMENTS)}; "
                      "pass e.g. -D deployment=kolla")


def _on(ssh: str | None, host: str | None, command: str) -> str:
    """``command`` on ``host`` through the ``ssh`` template (run locally without
    one); ``host`` None leaves the template's {host}, filled per compute later."""
    if not ssh:
        return command
    remote = f"{ssh} {shlex.quote(command)}"
    return remote if host is None else remote.replace("{host}", shlex.quote(host))


def commands(deployment: str, *, container_engine: str | None = None, ssh: str | None = None,
             controllers: tuple[str, ...] = ()) -> dict:
    """The settings keys of COMMAND_KEYS, plus ``probe_command`` and
    ``why_no_cut``, for ``deployment``; PresetError on bad input."""
    if container_engine and container_engine not in CONTAINER_ENGINES:
        raise PresetError(f"container_engine={container_engine!r} is not one of "
                          f"{', '.join(CONTAINER_ENGINES)}; pass e.g. -D container_engine=podman")
    if container_engine and deployment != KOLLA:
        raise PresetError(f"container_engine applies to deployment={KOLLA} only, not {deployment!r}; "
                          "leave it out")
    if ssh and "{host}" not in ssh:
        raise PresetError(f"ssh={ssh!r} has no {{host}}; pass e.g. -D ssh='ssh -o BatchMode=yes {{host}}', "
                          "or leave it empty for the local host")
    preset = _preset(deployment, container_engine or CONTAINER_ENGINES[0])
    # No preset command holds a brace: only the ssh template's {host} is left to fill.
    on_compute = {command.key: _on(ssh, None, preset.compute[command.verb]) for command in faults.COMMANDS}
    def on_controllers(command: str | None, first_only: bool = False) -> str | None:
        if command is None or not controllers:
            return command  # None, or on the local host
        return " && ".join(_on(ssh, host, command) for host in controllers[:1 if first_only else None])

    audit = on_controllers(preset.audit, first_only=True)
    return {
        **on_compute,
        "probe_command": _on(ssh, None, preset.probe),
        "audit_command": audit,
        "cut_placement_path_command": on_controllers(preset.cut),
        "restore_placement_path_command": on_controllers(preset.restore),
        "why_no_cut": preset.why_no_cut,
        # (host, command) probed by preflight: the controllers' path (ssh) answers
        "controller_probes": tuple((host, _on(ssh, host, "true")) for host in controllers if ssh),
    }
