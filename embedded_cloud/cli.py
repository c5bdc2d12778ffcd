"""embedded-cloud: bring up, inspect, fault and tear down the loopback OpenStack cloud.

    embedded-cloud up [--release 2024.1|...|2026.2] [--defect SERVICE=NAME]
                      [--nova-option SECTION.KEY=VALUE] [--no-schema-cache]
                                                 start (or find) the cloud
    embedded-cloud status                        one line per process
    embedded-cloud down                          stop every process it started
    embedded-cloud compute stop|kill|start HOST  fault control for one nova-compute
    embedded-cloud placement-path cut|restore    nova-api's path to Placement
    embedded-cloud env                           shell exports for the openstack CLI
    embedded-cloud nova-manage ARGS...           nova-manage with the cloud's configuration
"""
from __future__ import annotations

import argparse
import os
import sys

from .clouds_yaml import ADMIN_CLOUD
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
    commands.add_parser("down", help="stop every process of the cloud")
    commands.add_parser("status", help="show each process, its PID, port and memory")
    commands.add_parser("env", help="print shell exports for the openstack CLI")
    compute = commands.add_parser("compute", help="stop, kill -9 or start one nova-compute")
    compute.add_argument("action", choices=("stop", "kill", "start"))
    compute.add_argument("host")
    path = commands.add_parser("placement-path", help="cut or restore nova-api's path to Placement")
    path.add_argument("action", choices=("cut", "restore"))
    manage = commands.add_parser("nova-manage", help="run nova-manage against the cloud, e.g. "
                                                     "placement audit --verbose (its exit code)")
    manage.add_argument("args", nargs=argparse.REMAINDER, help="nova-manage's arguments")
    return parser


def _defects(pairs: list[str]) -> dict[str, str]:
    from .defects.choice import choose

    return choose(pairs)


def _print_status(cloud) -> int:
    from .defects.choice import describe
    from .nova_options import describe as describe_options
    from .processes import tail

    dead = 0
    for s in cloud.status():
        if s.running:
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
    return 1 if dead else 0


def _log_unexpected(args) -> str:
    import traceback

    from .layout import Layout

    log = Layout.resolve(args.run_dir).log("embedded-cloud")
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a") as handle:
        handle.write(traceback.format_exc())
    return str(log)


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
    sys.stdout.flush()
    os.execve(python, [python, "-m", "embedded_cloud", *argv], env)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    from .cloud import EmbeddedCloud

    try:
        _in_release(args, argv)
        cloud = EmbeddedCloud(args.run_dir)
        if args.command == "up":
            from .defects.switch import switch_in_place

            from .nova_options import parse

            defects, nova_options = _defects(args.defect), parse(args.nova_option)
            if args.no_schema_cache:
                from . import schema_cache

                os.environ[schema_cache.ENV] = "off"  # read in the set-up steps and their children
            # Only the defects differ from the running cloud's: restart just their processes.
            same_options = nova_options == cloud.state.nova_options
            if not (same_options and switch_in_place(cloud, defects)):
                cloud.up(defects, nova_options)
        elif args.command == "down":
            cloud.down()
        elif args.command == "status":
            return _print_status(cloud)
        elif args.command == "env":
            print(f"export OS_CLIENT_CONFIG_FILE={cloud.layout.clouds_yaml}")
            print(f"export OS_CLOUD={ADMIN_CLOUD}")
        elif args.command == "compute":
            action = {"stop": cloud.stop_compute, "kill": cloud.kill_compute,
                      "start": cloud.start_compute}[args.action]
            action(args.host)
        elif args.command == "nova-manage":
            done = cloud.nova_manage(*args.args)
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            return done.returncode
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
