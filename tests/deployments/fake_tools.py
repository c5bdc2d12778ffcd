"""Stand-ins for the tools a deployment preset's commands call -- ssh,
sudo, systemctl, docker, podman, iptables, lxc-ls, lxc-attach, nova-manage
-- that map each call onto the embedded cloud's CLI, so every preset's
commands run for real against supervised computes:

- ``ssh [-o OPT]... HOST COMMAND`` runs COMMAND with FAKE_HOST=HOST (a host
  in FAKE_SSH_DENY answers as BatchMode does without a key: exit 255);
- ``systemctl stop|start|kill -s KILL|SIGSTOP|SIGCONT|cat UNIT`` is the
  supervisor (stop holds; SIGSTOP freezes, SIGCONT thaws); a UNIT other than
  FAKE_UNIT is "not found", as systemd says;
- ``docker|podman stop|kill|start|pause|unpause nova_compute`` acts on the
  container behind the supervisor's back (stop: SIGTERM, restarted under
  always; pause freezes, unpause thaws);
  only FAKE_ENGINE exists; ``exec [-u U] C nova-manage ARGS`` runs the
  cloud's nova-manage;
- ``iptables -I|-D ...`` cuts and restores nova-api's path to Placement.

Called as ``python fake_tools.py TOOL ARGS...`` from the wrappers that
``install`` writes; each call is appended to FAKE_TOOLS_LOG.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

TOOLS = ("ssh", "sudo", "systemctl", "docker", "podman", "iptables", "lxc-ls", "lxc-attach", "nova-manage")
CONTAINER = "nova_compute"


def install(bin_dir: Path) -> Path:
    """One wrapper per tool in ``bin_dir`` (put it first on PATH)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for tool in TOOLS:
        wrapper = bin_dir / tool
        wrapper.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} "
                           f"{shlex.quote(__file__)} {tool} \"$@\"\n")
        wrapper.chmod(0o755)
    return bin_dir


def _cloud(*args: str) -> int:
    return subprocess.call([os.environ["FAKE_EMBEDDED_CLOUD"], *args], stdout=sys.stderr)


def _host() -> str:
    host = os.environ.get("FAKE_HOST")
    if not host:
        sys.exit("fake: no compute host (run through ssh HOST ...)")
    return host


def ssh(args: list[str]) -> int:
    while args and args[0].startswith("-"):
        args = args[2:] if args[0] in ("-o", "-p", "-i", "-l", "-F") else args[1:]
    host, command = args[0], " ".join(args[1:])
    if host in os.environ.get("FAKE_SSH_DENY", "").split():
        print(f"{host}: Permission denied (publickey).", file=sys.stderr)
        return 255
    return subprocess.call(["sh", "-c", command], env={**os.environ, "FAKE_HOST": host})


def systemctl(args: list[str]) -> int:
    action, unit = args[0], args[-1]
    if unit != os.environ.get("FAKE_UNIT"):
        print(f"{'No files found for' if action == 'cat' else 'Failed to ' + action + ' ' + unit + ': Unit'} "
              f"{unit}{'' if action == 'cat' else ' not found'}.", file=sys.stderr)
        return 1 if action == "cat" else 5
    if action == "cat":
        print(f"# /etc/systemd/system/{unit}")
        return 0
    signals = {"KILL": "kill", "SIGSTOP": "freeze", "SIGCONT": "thaw"}
    if action == "kill" and args[1] == "-s" and args[2] in signals:
        return _cloud("compute", signals[args[2]], _host())
    if action in ("stop", "start"):
        return _cloud("compute", action, _host())
    sys.exit(f"fake systemctl: {args} is not modelled")


def engine(tool: str, args: list[str]) -> int:
    if tool != os.environ.get("FAKE_ENGINE"):
        print(f"sh: 1: {tool}: not found", file=sys.stderr)
        return 127
    action = args[0]
    if action == "exec":
        words = args[1:]
        while words[0].startswith("-"):
            words = words[2:] if words[0] in ("-u", "--user") else words[1:]
        return nova_manage(words[2:])  # CONTAINER nova-manage ARGS
    if args[1:] != [CONTAINER]:
        print(f"Error: No such container: {' '.join(args[1:])}", file=sys.stderr)
        return 1
    return _cloud("compute", {"stop": "terminate", "kill": "kill", "start": "start",
                              "pause": "freeze", "unpause": "thaw"}[action], _host())


def nova_manage(args: list[str]) -> int:
    if args[:1] == ["--log-file"]:
        args = args[2:]
    return subprocess.call([os.environ["FAKE_EMBEDDED_CLOUD"], "nova-manage", *args])


def iptables(args: list[str]) -> int:
    if "--dport" not in args:
        sys.exit(f"fake iptables: {args} is not a Placement cut")
    return _cloud("placement-path", {"-I": "cut", "-D": "restore"}[args[0]])


def lxc_attach(args: list[str]) -> int:
    command = args[args.index("--") + 1:]
    if command[:2] == ["sh", "-c"]:
        words = shlex.split(command[2])
        return nova_manage(words[1:])  # /openstack/venvs/nova-*/bin/nova-manage ARGS
    return iptables(command[1:])


def main(tool: str, args: list[str]) -> int:
    with open(os.environ["FAKE_TOOLS_LOG"], "a") as log:
        log.write(f"{os.environ.get('FAKE_HOST', '-')} {tool} {shlex.join(args)}\n")
    if tool == "sudo":
        return subprocess.call(args)
    if tool == "lxc-ls":
        print("controller1_nova_api_container-0a1b2c3d")
        return 0
    handlers = {"ssh": ssh, "systemctl": systemctl, "iptables": iptables, "lxc-attach": lxc_attach,
                "nova-manage": nova_manage}
    if tool in ("docker", "podman"):
        return engine(tool, args)
    return handlers[tool](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
