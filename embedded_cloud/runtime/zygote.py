"""A fork server for nova: nova is imported once, and each nova service is a fork of that process.

    python -m embedded_cloud.runtime.zygote SOCKET --config-file nova.conf

Importing nova takes seconds of CPU; every nova-conductor, nova-scheduler
and nova-compute (and every compute restart of a scenario) paid it. The
zygote imports the services' entry modules once, before any thread, socket
or config use, then listens on a unix socket. A request names a process
(the arguments of embedded_cloud.runtime.launch, its environment, working directory
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

One-shot commands (nova-manage, nova_setup) are forks too: a "run" request
carries the caller's stdin, stdout and stderr (SCM_RIGHTS); a runner forked
for the request forks the command with those as its 0, 1 and 2, sends its
PID (the caller kills it by PID on a timeout), waits for it and sends its
exit status. The runner, not the zygote, waits: the zygote never blocks on a
command, and its children are still reaped by the kernel.
"""
from __future__ import annotations

import importlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from .confinement import confine
from .processes import ProcessSpec, Started, start_ticks

# The entry modules of the services the zygote forks (see services/nova.py),
# then what their start-up imports next (seen with `python -X importtime`):
# none of these read an option's value at import.
PRELOAD = ("nova.cmd.compute", "nova.cmd.conductor", "nova.cmd.scheduler",
           "nova.compute.api", "nova.virt.fake", "vif_plug_ovs.ovs", "vif_plug_noop.noop",
           "kombu.entity", "oslo_messaging._drivers.impl_rabbit")
LAUNCH = ("-m", "embedded_cloud.runtime.launch")
# Only the project's own modules are run in the zygote, never an arbitrary argv.
PACKAGE = "embedded_cloud."
CONNECT_TIMEOUT = 30
# The zygote log's line for each one-shot command that ended (the benchmark adds them up).
ENDED = "zygote: pid {pid} exited {code} after {cpu:.2f} CPU s"
_ENDED_CPU = re.compile(r"^zygote: pid \d+ exited -?\d+ after ([0-9.]+) CPU s$", re.MULTILINE)


class Unavailable(OSError):
    """The zygote did not take the request: nothing was started."""


def forkable(spec: ProcessSpec) -> bool:
    """Is `spec` a process the zygote can become (run through embedded_cloud.runtime.launch)?"""
    return tuple(spec.argv[1:3]) == LAUNCH


def _request(argv: list[str], env: dict[str, str], cwd: Path) -> dict:
    return {"module": argv[2], "argv": argv[3:], "env": env, "cwd": str(cwd)}


def _connect(socket_path: Path) -> socket.socket:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(CONNECT_TIMEOUT)
    try:
        client.connect(str(socket_path))
    except OSError as error:
        client.close()
        raise Unavailable(f"the zygote does not answer on {socket_path}: {error}") from None
    return client


def fork(socket_path: Path, spec: ProcessSpec, env: dict[str, str], cwd: Path) -> Started:
    """Ask the zygote for a new process made from `spec`; its PID and start time."""
    request = {**_request(spec.argv, env, cwd), "log": str(spec.log)}
    with _connect(socket_path) as client:
        client.sendall(json.dumps(request).encode())
        client.shutdown(socket.SHUT_WR)
        answer = json.loads(_read_all(client))
    pid = answer["pid"]
    return Started(pid, start_ticks(pid) or 0)


def run(socket_path: Path, argv: list[str], env: dict[str, str], cwd: Path,
        files: tuple[int, int, int], timeout: float) -> int:
    """Run `argv`, `python -m embedded_cloud.X ...`, as a fork of the zygote, with `files` as its stdin,
    stdout and stderr; its exit code (-N: killed by signal N).

    Raises Unavailable if the zygote took nothing, subprocess.TimeoutExpired
    (the command killed) after `timeout` seconds.
    """
    with _connect(socket_path) as client:
        try:
            socket.send_fds(client, [json.dumps({"run": True, **_request(argv, env, cwd)}).encode()],
                            list(files))
            client.shutdown(socket.SHUT_WR)
            answers = client.makefile("rb")
            pid = json.loads(answers.readline())["pid"]
        except (OSError, ValueError, KeyError) as error:
            raise Unavailable(f"the zygote did not start {argv[2]}: {error}") from None
        client.settimeout(timeout)
        try:
            return json.loads(answers.readline())["returncode"]
        except TimeoutError:
            _kill(pid)
            raise subprocess.TimeoutExpired(argv, timeout) from None
        except BaseException:  # Ctrl-C, a lost zygote: nothing left running, as subprocess.run
            _kill(pid)
            raise


def run_captured(socket_path: Path, argv: list[str], env: dict[str, str], cwd: Path,
                 timeout: float) -> subprocess.CompletedProcess:
    """run() with stdin empty and the output captured as text: subprocess.run's
    CompletedProcess for `capture_output=True, text=True`."""
    readers, outputs = [], []
    ours, theirs = [], []
    try:
        stdin = os.open(os.devnull, os.O_RDONLY)
        theirs.append(stdin)
        for _ in range(2):
            read_end, write_end = os.pipe()
            ours.append(read_end)
            theirs.append(write_end)
        # Drained as the command writes, or a full pipe would stall it.
        for read_end in ours:
            chunks: list[bytes] = []
            outputs.append(chunks)
            readers.append(threading.Thread(target=_drain, args=(read_end, chunks), daemon=True))
            readers[-1].start()
        try:
            returncode = run(socket_path, argv, env, cwd, tuple(theirs), timeout)
        finally:
            for fd in theirs:  # the command holds its own copies
                os.close(fd)
            theirs.clear()
            for reader in readers:
                reader.join()
    finally:
        for fd in theirs:
            os.close(fd)
    stdout, stderr = (b"".join(chunks).decode(errors="replace") for chunks in outputs)
    return subprocess.CompletedProcess(argv, returncode, stdout, stderr)


def _drain(fd: int, chunks: list[bytes]) -> None:
    with open(fd, "rb", closefd=True) as pipe:
        while chunk := pipe.read1(65536):
            chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def commands_cpu(log_text: str) -> float:
    """CPU seconds of the one-shot commands a zygote log reports as ended."""
    return sum(float(cpu) for cpu in _ENDED_CPU.findall(log_text))


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


def _read_all(conn: socket.socket, first: bytes = b"") -> bytes:
    chunks = [first]
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _log_files(log: str) -> tuple[int, int, int]:
    out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    return os.open(os.devnull, os.O_RDONLY), out, out


def _become(request: dict, files: tuple[int, int, int]) -> None:
    """In the child: turn into the requested process, then run it. Never returns."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # nova waits for its own subprocesses
        for target, fd in enumerate(files):
            os.dup2(fd, target)
        for fd in set(files):
            if fd > 2:
                os.close(fd)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        random.seed()  # not the zygote's sequence, shared by every fork
        module = request["module"]
        if not module.startswith(PACKAGE):
            raise ValueError(f"not a module of the embedded cloud: {module}")
        sys.argv = [module, *request["argv"]]
        if request.get("run"):
            _manage_mode()
        # `python -m MODULE`'s main, as the module's __main__ block calls it.
        code = importlib.import_module(module).main()
        code = code if isinstance(code, int) else 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if not isinstance(done.code, (int, type(None))):
            print(done.code, file=sys.stderr)  # sys.exit("message"), as the interpreter would
    except BaseException:  # noqa: BLE001 - the log says why; the process must end here
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _run_for(conn: socket.socket, request: dict, files: list[int]) -> None:
    """In the runner, a fork of the zygote: fork the command, report its PID,
    wait for it, report its exit code. Never returns."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # this one waits for its child
        pid = os.fork()
        if pid == 0:
            conn.close()
            _become(request, tuple(files))
        for fd in files:
            os.close(fd)
        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        print(f"zygote: running pid {pid}: {request['module']} {' '.join(request['argv'][:2])}",
              flush=True)
        _, status, usage = os.wait4(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        conn.sendall(json.dumps({"returncode": code}).encode() + b"\n")
        # Its CPU time, which no caller sees (the command is not its child).
        print(ENDED.format(pid=pid, code=code, cpu=usage.ru_utime + usage.ru_stime), flush=True)
    finally:
        os._exit(0)


def _serve_one(server: socket.socket, conn: socket.socket) -> None:
    try:
        first, files, _, _ = socket.recv_fds(conn, 65536, 3)
        request = json.loads(_read_all(conn, first))
    except (OSError, ValueError):
        return
    try:
        if request.get("ping"):
            conn.sendall(b'{"pong": true}')
        elif request.get("run"):
            if len(files) != 3:
                return  # the caller sees the connection close without a PID
            if os.fork() == 0:
                server.close()
                _run_for(conn, request, files)
        else:
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                _become(request, _log_files(request["log"]))
            conn.sendall(json.dumps({"pid": pid}).encode())
            print(f"zygote: forked pid {pid}: {' '.join(request['argv'][:2])}", flush=True)
    finally:
        for fd in files:  # the forks hold their own copies
            os.close(fd)


def serve(socket_path: Path) -> None:
    # Children are reaped by the kernel: the zygote never waits for them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    socket_path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(socket_path))
    os.chmod(socket_path, 0o600)
    server.listen(8)
    print(f"zygote: serving on {socket_path}", flush=True)
    while True:
        conn, _ = server.accept()
        with conn:
            _serve_one(server, conn)


def _manage_mode() -> None:
    """In a one-shot command's fork, before it imports nova.cmd.manage (for
    nova-manage and nova_setup): that import would switch to eventlet,
    nova-manage's default mode, which the services' threading mode forbids;
    nova's own switch keeps the fork in the zygote's mode. Not preloaded in
    the zygote: its 0.2 CPU s import would add about 20 MiB to the RSS of
    every service forked from it (alembic, mako, the libvirt driver)."""
    monkey_patch = sys.modules.get("nova.monkey_patch")  # absent: no nova (tests)
    if monkey_patch and not monkey_patch.is_patched():  # the services run in threading mode
        os.environ["OS_NOVA_DISABLE_EVENTLET_PATCHING"] = "1"


def main() -> None:
    socket_path, *config_args = sys.argv[1:]
    confine()
    # nova's monkey_patch, run by the entry modules' import, reads these.
    sys.argv = ["nova-zygote", *config_args]
    if preloads():
        for module in PRELOAD:
            importlib.import_module(module)
        from nova import objects

        objects.register_all()  # imports every object module; each service calls it again
    else:
        print(f"zygote: nova {_nova_version()} imported by each fork (eventlet)", flush=True)
    serve(Path(socket_path))


def _nova_version() -> str:
    from importlib import metadata

    return metadata.version("nova")


def nova_major() -> int:
    """nova's major version: 29 is 2024.1, 34 is 2026.2."""
    return int(_nova_version().split(".")[0])


def preloads() -> bool:
    """Import nova before forking only where every service runs on threads
    (nova 34, 2026.2). Up to 2025.1 importing nova.cmd patches eventlet,
    whose hub a fork would share with the zygote, and in 2026.1 compute and
    scheduler loaded in one process raise BackendAlreadySelected: there each
    fork, a bare interpreter, imports nova itself, as a process of its own would."""
    return nova_major() >= 34


if __name__ == "__main__":
    main()
