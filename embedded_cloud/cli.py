"""embedded-cloud: bring up, inspect, fault and tear down the loopback OpenStack cloud.

    embedded-cloud up [--release 2024.1|...|2026.2] [--defect SERVICE=NAME]
                      [--nova-option SECTION.KEY=VALUE] [--no-schema-cache]
                      [--compute-supervisor always:SECONDS|on-failure:SECONDS|none]
                                                 start (or find) the cloud
    embedded-cloud status                        one line per process; what the Neutron stand-in
                                                 could not answer
    embedded-cloud down                          stop every process it started
    embedded-cloud compute stop|kill|freeze|thaw|terminate|start HOST
                                                 fault control for one nova-compute
    embedded-cloud placement-path cut|restore    nova-api's path to Placement
    embedded-cloud env                           shell exports for the openstack CLI
    embedded-cloud nova-manage ARGS...           nova-manage with the cloud's configuration
    embedded-cloud facts                         JSON for the suite: clouds.yaml, image, nova
                                                 settings, fault and audit commands
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys

from .setup.clouds_yaml import ADMIN_CLOUD
from .errors import CloudError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="embedded-cloud", description=__doc__.split("\n")[0])
    parser.add_argument("--run-dir", help="where the cloud lives (default: $EMBEDDED_CLOUD_DIR "
                                          "or .run/cloud in the project)")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start the cloud, or find it running")
    up.add_argument("--release", metavar="RELEASE",
                    help="the OpenStack release to run: 2024.1, 2024.2, 2025.1, 2025.2, 2026.1 or "
                         "2026.2 (default: the newest, or the release the cloud in --run-dir runs); "
                         "an older one is installed into a virtualenv of its own on first use")
    up.add_argument("--defect", action="append", default=[], metavar="SERVICE=NAME",
                    help="inject a named defect: SERVICE is nova-api, nova-compute (every "
                         "compute) or a compute host (see embedded_cloud/defects)")
    up.add_argument("--nova-option", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="a nova.conf option for every nova process, e.g. "
                         "DEFAULT.reclaim_instance_interval=3600 (repeatable; none: nova's "
                         "embedded defaults)")
    up.add_argument("--no-schema-cache", action="store_true",
                    help="a cold start runs every database migration, neither reading nor "
                         "filling the schema cache (as EMBEDDED_CLOUD_SCHEMA_CACHE=off)")
    up.add_argument("--keep-configuration", action="store_true",
                    help="start it with the defects, nova options and compute supervisor it "
                         "already has (the suite's start: it must not undo an `up --defect` it is "
                         "run against)")
    up.add_argument("--compute-supervisor", default="none", metavar="POLICY:SECONDS",
                    help="run the nova-computes under a supervisor modelled on systemd's Restart=: "
                         "always:11 (Kolla-Ansible), on-failure:2 (OpenStack-Ansible) or none "
                         "(the default; see embedded_cloud/runtime/supervisor.py)")
    commands.add_parser("down", help="stop every process of the cloud")
    commands.add_parser("status", help="show each process, its PID, port and memory, and the "
                                               "requests the Neutron stand-in could not answer")
    commands.add_parser("env", help="print shell exports for the openstack CLI")
    compute = commands.add_parser("compute", help="stop (through the supervisor, if any), kill -9, "
                                                  "freeze (SIGSTOP), thaw (SIGCONT), terminate "
                                                  "(SIGTERM behind the supervisor's back) or start "
                                                  "one nova-compute")
    from .cloud import COMPUTE_ACTIONS

    compute.add_argument("action", choices=COMPUTE_ACTIONS)
    compute.add_argument("host")
    path = commands.add_parser("placement-path", help="cut or restore nova-api's path to Placement")
    path.add_argument("action", choices=("cut", "restore"))
    manage = commands.add_parser("nova-manage", help="run nova-manage against the cloud, e.g. "
                                                     "placement audit --verbose (its exit code)")
    manage.add_argument("args", nargs=argparse.REMAINDER, help="nova-manage's arguments")
    commands.add_parser("facts", help="print, as JSON, what a client of the running cloud needs "
                                      "(the suite reads it; no secret is in it)")
    return parser


def _defects(pairs: list[str]) -> dict[str, str]:
    from .defects.choice import choose

    return choose(pairs)


def _print_status(cloud) -> int:
    from .defects.choice import describe
    from .setup.nova_options import describe as describe_options
    from .runtime.processes import tail
    from .runtime.supervisor import describe as describe_supervisor

    dead = 0
    for s in cloud.status():
        if s.frozen:
            state = "frozen (SIGSTOP)"
        elif s.running:
            state = "running"
        elif s.stopped_on_purpose:
            state = "stopped (fault control)"
        elif s.pid is None:
            state = "stopped" if cloud.state.initialized else "not started"
        else:
            state, dead = "DEAD", dead + 1
        port = f"127.0.0.1:{s.port}" if s.port else ""
        print(f"{s.name:<24} {state:<24} pid {s.pid or '-':<8} {port:<16} {s.rss_kib / 1024:7.1f} MiB")
        if state == "DEAD":
            print("    " + tail(cloud.layout.log(s.name), 8).replace("\n", "\n    "))
    total = sum(s.rss_kib for s in cloud.status()) / 1024
    print(f"{'total':<24} {'':<24} {'':<13} {'':<16} {total:7.1f} MiB")
    print(describe(cloud.state.defects))
    print(describe_options(cloud.state.nova_options))
    _print_unanswered(cloud.layout.standin_record)
    print(describe_supervisor(cloud.state.compute_supervisor))
    return 1 if dead else 0


def _print_unanswered(record, last: int = 5) -> None:
    """What nova asked that the Neutron stand-in could not answer: a count and the last few."""
    from .wsgi.neutron_standin import unanswered

    requests = unanswered(record)
    print(f"neutron-standin: {len(requests)} unanswered request{'' if len(requests) == 1 else 's'}"
          + (f" ({record}), the last {min(last, len(requests))}:" if requests else ""))
    for request in requests[-last:]:
        print(f"    {request['at']} {request['method']} {request['path']}")


def _log_unexpected(args) -> str:
    """The traceback in the cloud's log; where even that cannot be written, on stderr."""
    import traceback

    from .layout import Layout

    log = Layout.resolve(args.run_dir).log("embedded-cloud")
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a") as handle:
            handle.write(traceback.format_exc())
    except OSError:
        return "(no log: the run directory cannot be written)"
    return str(log)


def _usable_run_dir(run_dir) -> None:
    """`up` writes its run directory: one line now if it cannot, not a traceback
    later. Nothing is created here: the nearest directory that exists must be writable."""
    from .layout import Layout

    root = Layout.resolve(run_dir).root
    existing = next(path for path in (root, *root.parents) if path.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        why = "not a directory" if not existing.is_dir() else "not writable"
        raise CloudError(f"the embedded cloud cannot use its run directory {root} ({existing} is "
                         f"{why}); pass --run-dir DIR or set EMBEDDED_CLOUD_DIR to a writable directory")


def _in_release(args, argv: list[str]) -> None:
    """Run this command in the Python of the cloud's release: every process
    and every in-process import of nova, keystone, placement or glance is then
    that release's. Returns when this interpreter is it; otherwise replaces
    this process (installing the release's virtualenv first for `up`)."""
    from . import releases
    from .layout import Layout
    from .state import State

    layout = Layout.resolve(args.run_dir)
    state = State.load(layout)
    running = state.release if state.initialized else None
    wanted = getattr(args, "release", None)
    if wanted is not None and running is not None and wanted != running:
        raise CloudError(f"the cloud in {layout.root} runs release {running}; to run {wanted}, "
                         f"give it another --run-dir (or `embedded-cloud down` and remove {layout.root})")
    release = releases.choose(wanted or running)
    if releases.is_current(release):
        os.environ[releases.CURRENT] = release.name
        return
    if args.command == "up":
        python = releases.ensure(release, say=lambda line: print(line, file=sys.stderr, flush=True))
    elif releases.installed(release):
        python = releases.python_of(release)
    else:
        raise CloudError(f"release {release.name} is not installed; run embedded-cloud up --release {release.name}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [releases.PROJECT, *filter(None, [os.environ.get("PYTHONPATH")])]))
    env[releases.CURRENT] = release.name
    from .published import COMMAND_ENV, command

    env.setdefault(COMMAND_ENV, shlex.join(command()))  # what the cloud publishes: this command
    sys.stdout.flush()
    os.execve(python, [python, "-m", "embedded_cloud", *argv], env)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    from .cloud import EmbeddedCloud

    try:
        if args.command == "up":
            _usable_run_dir(args.run_dir)
        _in_release(args, argv)
        cloud = EmbeddedCloud(args.run_dir)
        if args.command == "up" and args.keep_configuration:
            if args.defect or args.nova_option or args.compute_supervisor != "none":
                raise CloudError("--keep-configuration keeps the defects, nova options and compute "
                                 "supervisor in force; give it without --defect, --nova-option and "
                                 "--compute-supervisor")
            cloud.up()
        elif args.command == "up":
            from .defects.switch import switch_in_place

            from .setup.nova_options import parse

            from .setup.nova_option_names import check
            from .runtime.supervisor import parse as parse_supervisor

            defects, nova_options = _defects(args.defect), parse(args.nova_option)
            check(nova_options)  # before anything starts: nova would ignore an unknown one
            parse_supervisor(args.compute_supervisor)  # bad input: one line before anything starts
            if args.no_schema_cache:
                from .setup import schema_cache

                os.environ[schema_cache.ENV] = "off"  # read in the set-up steps and their children
            # Only the defects differ from the running cloud's: restart just their processes.
            same_options = nova_options == cloud.state.nova_options
            if not (same_options and switch_in_place(cloud, defects)):
                cloud.up(defects, nova_options)
            cloud.supervise_computes(args.compute_supervisor)
        elif args.command == "down":
            cloud.down()
        elif args.command == "status":
            return _print_status(cloud)
        elif args.command == "env":
            print(f"export OS_CLIENT_CONFIG_FILE={cloud.layout.clouds_yaml}")
            print(f"export OS_CLOUD={ADMIN_CLOUD}")
        elif args.command == "compute":
            getattr(cloud, f"{args.action}_compute")(args.host)
        elif args.command == "nova-manage":
            done = cloud.nova_manage(*args.args)
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            return done.returncode
        elif args.command == "facts":
            from .published import facts

            if not cloud.state.initialized:
                raise CloudError(f"no embedded cloud was set up in {cloud.layout.root}; "
                                 "start it with `embedded-cloud up`")
            print(json.dumps(facts(cloud.layout, cloud.state), indent=2, sort_keys=True))
        elif args.command == "placement-path":
            (cloud.cut_placement_path if args.action == "cut" else cloud.restore_placement_path)()
    except CloudError as error:
        print(f"embedded-cloud: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`status | head`): nothing is wrong with the cloud.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except Exception as error:  # noqa: BLE001 - one line for the user, the traceback in a log
        log = _log_unexpected(args)
        print(f"embedded-cloud: {args.command} failed: {type(error).__name__}: "
              f"{str(error).splitlines()[0] if str(error) else ''}; details in {log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("embedded-cloud: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
