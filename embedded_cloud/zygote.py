"""A fork server for nova: nova is imported once, and each nova service is a fork of that process.

    python -m embedded_cloud.zygote SOCKET --config-file nova.conf

Importing nova takes seconds of CPU; every nova-conductor, nova-scheduler
and nova-compute (and every compute restart of a scenario) paid it. The
zygote imports the services' entry modules once, before any thread, socket
or config use, then listens on a unix socket. A request names a process
(the arguments of embedded_cloud.launch, its environment, working directory
and log); the zygote forks, and the child makes itself that process: its
own session (so `kill` of its group reaches it alone), the log as stdout and
stderr, the environment it was given, then launch.main() -- which parses
the process's own config, applies its defect and serves. The child's PID
goes back to the caller, which records it as any other process: killable
with SIGKILL, stopped by `down`, restartable by another fork.

The config files named on the command line are read before nova's import
only to pick its concurrency mode (nova's monkey_patch reads them), exactly
as each service would. nova.compute.manager is left for the children: it
reads options from CONF when its class is built.
"""
from __future__ import annotations

import importlib
import json
import os
import random
import signal
import socket
import sys
from pathlib import Path

from .confinement import confine
from .processes import ProcessSpec, Started, start_ticks

# The entry modules of the services the zygote forks (see services/nova.py),
# then what their start-up imports next (seen with `python -X importtime`):
# none of these read an option's value at import.
PRELOAD = ("nova.cmd.compute", "nova.cmd.conductor", "nova.cmd.scheduler",
           "nova.compute.api", "nova.virt.fake", "vif_plug_ovs.ovs", "vif_plug_noop.noop",
           "kombu.entity", "oslo_messaging._drivers.impl_rabbit")
LAUNCH = ("-m", "embedded_cloud.launch")


def forkable(spec: ProcessSpec) -> bool:
    """Is `spec` a process the zygote can become (run through embedded_cloud.launch)?"""
    return tuple(spec.argv[1:3]) == LAUNCH


def fork(socket_path: Path, spec: ProcessSpec, env: dict[str, str], cwd: Path) -> Started:
    """Ask the zygote for a new process made from `spec`; its PID and start time."""
    request = {"launch": spec.argv[3:], "env": env, "cwd": str(cwd), "log": str(spec.log)}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(30)
        client.connect(str(socket_path))
        client.sendall(json.dumps(request).encode())
        client.shutdown(socket.SHUT_WR)
        answer = json.loads(_read_all(client))
    pid = answer["pid"]
    return Started(pid, start_ticks(pid) or 0)


def ready(socket_path: Path) -> bool:
    """It listens only once nova is imported."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(1)
            client.connect(str(socket_path))
            client.sendall(b'{"ping": true}')
            client.shutdown(socket.SHUT_WR)
            return json.loads(_read_all(client)).get("pong") is True
    except (OSError, ValueError):
        return False


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _become(request: dict) -> None:
    """In the child: turn into the requested process, then run it. Never returns."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # nova waits for its own subprocesses
        log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(null)
        os.close(log)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        random.seed()  # not the zygote's sequence, shared by every fork
        from . import launch

        sys.argv = ["embedded_cloud.launch", *request["launch"]]
        launch.main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # noqa: BLE001 - the log says why; the process must end here
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(socket_path: Path) -> None:
    # Children are reaped by the kernel: the zygote never waits for them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    socket_path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(socket_path))
    os.chmod(socket_path, 0o600)
    server.listen(8)
    print(f"zygote: nova imported, serving on {socket_path}", flush=True)
    while True:
        conn, _ = server.accept()
        with conn:
            try:
                request = json.loads(_read_all(conn))
            except ValueError:
                continue
            if request.get("ping"):
                conn.sendall(b'{"pong": true}')
                continue
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                _become(request)
            conn.sendall(json.dumps({"pid": pid}).encode())
            print(f"zygote: forked pid {pid}: {' '.join(request['launch'][:2])}", flush=True)


def main() -> None:
    socket_path, *config_args = sys.argv[1:]
    confine()
    # nova's monkey_patch, run by the entry modules' import, reads these.
    sys.argv = ["nova-zygote", *config_args]
    for module in PRELOAD:
        importlib.import_module(module)
    from nova import objects

    objects.register_all()  # imports every object module; each service calls it again
    serve(Path(socket_path))


if __name__ == "__main__":
    main()
