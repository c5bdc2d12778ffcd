"""Nova: nova-api (WSGI), conductor, scheduler and two fake-driver computes, cells v2.

The hypervisor is nova's FakeDriverWithoutFakeNodes, as devstack uses for
VIRT_DRIVER=fake: the node is named after the host, its UUID is kept in the
compute's state_path so a restarted compute is the same resource provider,
and its inventory (1000 VCPU, 800000 MB RAM, 600000 GB disk) is so large that
no scenario runs out of room. Guests live only in the compute's memory.
"""
from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

from ..runtime import zygote
from ..setup.admin import shared_admin
from ..context import REGION, Ctx, ini
from ..runtime.launch import launch_argv
from ..layout import venv_prefix
from ..runtime.processes import ProcessSpec
from ..setup.nova_options import merged
from ..state import written_file
from . import keystone, mariadb, placement, rabbitmq
from .entry import Service, Step, untimed
from .http_probe import answers
from .wsgi_server import SERVE, gunicorn_args

API = "nova-api"
CONDUCTOR = "nova-conductor"
SCHEDULER = "nova-scheduler"
ZYGOTE = "nova-zygote"
COMPUTE_HOSTS = ("compute1", "compute2")
USER = "nova"  # the Keystone user every nova service authenticates as

# Heartbeats every second, so a restarted compute's first one is seen at once.
REPORT_INTERVAL = 1
# Longer than any scenario: inside one, only forced_down makes a compute down,
# so a catch never depends on how fast the machine reaches the DELETE.
SERVICE_DOWN_TIME = 300
# nova's periodic update_available_resource frees the allocations of deleted
# servers too; run it far less often than any wait of the suite, so that what
# a check sees freed was freed by the operation it checks, not by a clean-up.
UPDATE_RESOURCES_INTERVAL = 3600
# The cloud's own values of the settings below; nova's defaults for the rest.
OWN_SETTINGS = {"DEFAULT": {"report_interval": REPORT_INTERVAL, "service_down_time": SERVICE_DOWN_TIME,
                            "update_resources_interval": UPDATE_RESOURCES_INTERVAL}}
# The nova settings that decide what the acceptance suite can see
# (docs/nova-options.md). The cloud publishes the ones it sets, its own and
# `--nova-option`'s (`embedded-cloud facts`, embedded_cloud/published.py): the
# suite reads that data, never this module.
PUBLISHED = ("DEFAULT.report_interval", "DEFAULT.service_down_time", "DEFAULT.update_resources_interval",
             "DEFAULT.reclaim_instance_interval", "DEFAULT.shelved_offload_time",
             "DEFAULT.shelved_poll_interval", "DEFAULT.running_deleted_instance_action",
             "DEFAULT.running_deleted_instance_poll_interval", "DEFAULT.running_deleted_instance_timeout",
             "compute.resource_provider_association_refresh",
             "compute.consecutive_build_service_disable_threshold", "filter_scheduler.enabled_filters")


def published_settings(nova_options: dict[str, dict[str, str]]) -> dict[str, str]:
    """{"SECTION.key": value} of the PUBLISHED settings this cloud sets, as nova.conf has them."""
    values = merged(OWN_SETTINGS, nova_options)
    found = {}
    for name in PUBLISHED:
        section, key = name.split(".")
        if key in values.get(section, {}):
            found[name] = str(values[section][key])
    return found


def compute_process(host: str) -> str:
    return f"nova-compute-{host}"


def _etc(ctx: Ctx):
    return ctx.conf_path("nova")


def write_config(ctx: Ctx) -> None:
    etc = _etc(ctx)
    data = ctx.layout.datadir("nova")
    common = {
        "DEFAULT": {
            "debug": False,
            "transport_url": rabbitmq.transport_url(ctx),
            "compute_driver": "fake.FakeDriverWithoutFakeNodes",
            **OWN_SETTINGS["DEFAULT"],
            "graceful_shutdown_timeout": 5,
            "my_ip": "127.0.0.1",
            "state_path": data,
            "use_rootwrap_daemon": False,
            # The fake driver runs nothing as root; these default under /etc/nova
            # and /usr/share, and every path nova could touch is in the run
            # directory or the virtualenv (tests/unit/test_config_paths.py).
            "rootwrap_config": etc / "rootwrap.conf",
            "web": data / "spice-html5",
        },
        "compute": {"provider_config_location": etc / "provider_config"},
        "oslo_middleware": {"http_basic_auth_user_file": data / "htpasswd"},
        "api": {"auth_strategy": "keystone"},
        "wsgi": {"api_paste_config": venv_prefix() / "etc/nova/api-paste.ini"},
        "keystone_authtoken": ctx.authtoken("nova"),
        "placement": {**ctx.service_auth("nova"), "region_name": REGION,
                      "valid_interfaces": "public"},
        "neutron": {**ctx.service_auth("nova"), "region_name": REGION,
                    "valid_interfaces": "public"},
        "glance": {"region_name": REGION, "valid_interfaces": "public"},
        "oslo_concurrency": {"lock_path": data / "lock"},
        "oslo_messaging_notifications": {"driver": "noop"},
        "scheduler": {"workers": 1, "discover_hosts_in_cells_interval": -1},
        "conductor": {"workers": 1},
        "vnc": {"enabled": False},
        "service_user": {"send_service_user_token": False},
    }
    written_file(etc / "nova.conf", ini(merged(common, ctx.state.nova_options)))
    written_file(etc / "nova-db.conf", ini({
        "api_database": {"connection": ctx.db_url("nova_api")},
        "database": {"connection": ctx.db_url("nova_cell1")},
    }))
    # nova-api alone reaches Placement through the relay, so that the fault
    # controls can cut that one path while the computes still reach it.
    written_file(etc / "nova-api.conf", ini({
        "placement": {"endpoint_override": ctx.url("placement-relay")},
    }))
    for host in COMPUTE_HOSTS:
        state_path = ctx.layout.datadir(compute_process(host))
        written_file(etc / f"{host}.conf", ini({
            "DEFAULT": {"host": host, "state_path": state_path},
            "oslo_concurrency": {"lock_path": state_path / "lock"},
        }))


def _configs(ctx: Ctx, *names: str) -> list[str]:
    args = []
    for name in names:
        args += ["--config-file", str(_etc(ctx) / name)]
    return args


def manage_argv(ctx: Ctx, *args: str) -> list[str]:
    """nova-manage with this cloud's configuration, e.g. ``placement audit --verbose``."""
    return launch_argv("nova-manage", "nova.cmd.manage:main",
                       *_configs(ctx, "nova.conf", "nova-db.conf"), *args)


def _manage(ctx: Ctx, *args: str) -> None:
    ctx.run("nova-manage", manage_argv(ctx, *args), fork=_in_zygote(ctx))


def _in_zygote(ctx: Ctx):
    """ctx.run's fork: a one-shot command as a fork of the zygote, which has
    nova imported; None (run it on its own) while the zygote does not answer."""
    def fork(argv: list[str], env: dict[str, str], log: int, timeout: float) -> int | None:
        with open(os.devnull, "rb") as stdin:
            try:
                return zygote.run(zygote_socket(ctx), argv, env, ctx.layout.root,
                                  (stdin.fileno(), log, log), timeout)
            except zygote.Unavailable:
                return None
    return fork


# Its databases in MariaDB (created by the table's databases step).
SCHEMAS = ("nova_api", "nova_cell0", "nova_cell1")


def load_schemas(ctx: Ctx) -> None:
    """The migrated schemas from the cache, if it has them: a load into
    MariaDB that needs no nova, so it overlaps the zygote's import of nova."""
    mariadb.restore_schemas(ctx, "nova-manage", "nova.sql", SCHEMAS)


def initialize(ctx: Ctx) -> None:
    # A template, filled from each service's own transport_url: the broker's
    # port may change on a warm start without touching the cell mapping.
    transport = "{scheme}://{username}:{password}@{hostname}:{port}/"
    # The schemas from the cache (load_schemas): nova_setup then only maps the cells.
    loaded = mariadb.migrated(ctx, SCHEMAS)
    ctx.run("nova-manage", [sys.executable, "-m", "embedded_cloud.setup.nova_setup",
                            *(["--schema-loaded"] if loaded else []),
                            ctx.db_url("nova_cell0"), transport,
                            *_configs(ctx, "nova.conf", "nova-db.conf")], fork=_in_zygote(ctx))
    if not loaded:
        # --no-data: the cell mappings just made are not part of it.
        mariadb.save_schemas(ctx, "nova-manage", "nova.sql", SCHEMAS)


def discover_hosts(ctx: Ctx) -> None:
    _manage(ctx, "cell_v2", "discover_hosts")


def _launch(ctx: Ctx, name: str, prog: str, entry: str, configs: list[str],
            no_fork: bool = False) -> ProcessSpec:
    return ProcessSpec(
        name=name,
        argv=launch_argv(prog, entry, *configs, no_fork=no_fork),
        log=ctx.layout.log(name),
        env=_defect_env(ctx, name),
    )


def _defect_env(ctx: Ctx, name: str) -> dict[str, str]:
    defect = ctx.state.defects.get(name)
    return {"EMBEDDED_CLOUD_DEFECT": defect} if defect else {}


def api_spec(ctx: Ctx) -> ProcessSpec:
    # Through launch, as the other nova services: a fork of the zygote, which
    # has nova imported, serving nova's WSGI application (wsgi/serve.py).
    return ProcessSpec(
        name=API,
        argv=launch_argv(API, f"{SERVE}:main",
                         *gunicorn_args(ctx, API, "embedded_cloud.wsgi.nova_api:application")),
        log=ctx.layout.log(API),
        env={
            "OS_NOVA_CONFIG_DIR": str(_etc(ctx)),
            # nova-api loads its paste pipeline from the first file of the list.
            "OS_NOVA_CONFIG_FILES": ";".join([str(venv_prefix() / "etc/nova/api-paste.ini"),
                                              "nova.conf", "nova-db.conf", "nova-api.conf"]),
            **_api_on_threads(),
            **_defect_env(ctx, API),
        },
    )


def _api_on_threads() -> dict[str, str]:
    """nova-api runs in gunicorn's threaded worker. Before nova 33 (2026.1)
    importing nova's API patches eventlet, whose green sockets then wait on a
    hub no thread runs: the first authenticated request hangs. nova's own
    switch (nova/monkey_patch.py, OS_NOVA_DISABLE_EVENTLET_PATCHING) keeps it
    on native threads, as nova 33 does by default."""
    return {} if zygote.nova_major() >= 33 else {"OS_NOVA_DISABLE_EVENTLET_PATCHING": "1"}


def zygote_socket(ctx: Ctx):
    return ctx.layout.root / f"{ZYGOTE}.sock"


def zygote_spec(ctx: Ctx) -> ProcessSpec:
    """The fork server the conductor, scheduler and computes are forked from (zygote.py)."""
    return ProcessSpec(
        name=ZYGOTE,
        argv=[sys.executable, "-m", "embedded_cloud.runtime.zygote", str(zygote_socket(ctx)),
              *_configs(ctx, "nova.conf")],
        log=ctx.layout.log(ZYGOTE),
    )


def zygote_ready(ctx: Ctx) -> bool:
    return zygote.ready(zygote_socket(ctx))


def conductor_spec(ctx: Ctx) -> ProcessSpec:
    return _launch(ctx, CONDUCTOR, "nova-conductor", "nova.cmd.conductor:main",
                   _configs(ctx, "nova.conf", "nova-db.conf"), no_fork=True)


def scheduler_spec(ctx: Ctx) -> ProcessSpec:
    return _launch(ctx, SCHEDULER, "nova-scheduler", "nova.cmd.scheduler:main",
                   _configs(ctx, "nova.conf", "nova-db.conf"), no_fork=True)


def compute_spec(ctx: Ctx, host: str) -> ProcessSpec:
    # No database options: nova-compute goes through the conductor.
    ctx.layout.datadir(compute_process(host)).mkdir(parents=True, exist_ok=True)
    return _launch(ctx, compute_process(host), "nova-compute", "nova.cmd.compute:main",
                   _configs(ctx, "nova.conf", f"{host}.conf"))


def _last_beat(ctx: Ctx, binary: str, host: str | None) -> datetime | None:
    """The newest heartbeat of `binary` (on `host`, or on any host) in the
    cell database: naive UTC, to the second, as nova stores it."""
    query = "SELECT MAX(updated_at) FROM nova_cell1.services WHERE `binary` = %s AND deleted = 0"
    args = [binary]
    if host is not None:
        query += " AND host = %s"
        args.append(host)
    connection = mariadb.connect(ctx)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, args)
            (beat,) = cursor.fetchone()
    finally:
        connection.close()
    return beat


def reported_since(ctx: Ctx, binary: str, host: str | None, since: datetime) -> bool:
    """Has `binary` (on `host`, or on any host) sent a heartbeat since `since`?

    The embedded cloud's one heartbeat check. A conductor beats only once its
    RPC server consumes (a compute started before that loses its first ping
    and waits nova's fixed 10 s); a compute beats once its start-up is done.
    Read from the cell database: nova-api may not answer yet. nova stores
    naive UTC to the second, so a beat in the same second as `since` does
    not count: it may be from before.
    """
    beat = _last_beat(ctx, binary, host)
    floor = since.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None)
    return beat is not None and beat > floor


def last_beat_before_start(binary: str, host: str | None = None):
    """A heartbeat service's `since`: its last beat before it starts, read
    while no instance of it runs, so any later value is the new instance's.
    The start's own time would refuse a first beat in the same second (nova
    stores seconds): a compute restarted in 0.6 s was seen after 1.8 s."""
    def since(ctx: Ctx) -> datetime:
        beat = _last_beat(ctx, binary, host)
        return (beat or datetime(1970, 1, 1)).replace(tzinfo=timezone.utc)
    return since


def providers_reported(ctx: Ctx, since: datetime) -> bool:
    """A compute creates its node record, then its resource provider, as it
    starts; os-hypervisors would hide the nodes until they are mapped."""
    names = {rp.name for rp in shared_admin(ctx).placement.resource_providers()}
    return set(COMPUTE_HOSTS) <= names


def reset_computes(ctx: Ctx) -> list[tuple[str, str]]:
    """Put back computes that an interrupted run left forced down or disabled.

    The services are running again (we just started them), so clearing
    forced_down is safe here; `up` promises a cloud in its reference state.
    """
    conn, done = shared_admin(ctx), []
    for service in conn.compute.services(binary="nova-compute"):
        if service.host not in COMPUTE_HOSTS:
            continue
        if service.is_forced_down:
            conn.compute.update_service_forced_down(service, service.host, service.binary, False)
            done.append((compute_process(service.host), "was left forced down: cleared"))
        if service.status == "disabled":
            conn.compute.enable_service(service, service.host, service.binary)
            done.append((compute_process(service.host), "was left disabled: enabled"))
    return done


def services_up(ctx: Ctx, since: datetime) -> bool:
    """nova-api reports every service up (the heartbeats since start are the computes' readiness)."""
    up = {(s.binary, s.host) for s in shared_admin(ctx).compute.services() if s.state == "up"}
    return ({CONDUCTOR, SCHEDULER} <= {binary for binary, _ in up}
            and all(("nova-compute", host) in up for host in COMPUTE_HOSTS))


def _beats(binary: str, host: str | None = None):
    return lambda ctx, since: reported_since(ctx, binary, host, since)


def api_ready(ctx: Ctx) -> bool:
    return answers(ctx.port(API))


# Its table entries: the nova processes and the set-up steps around them.
SCHEMAS_LOADED = Step("nova schemas from the cache", run=load_schemas,
                      after=(mariadb.DATABASES_CREATED,), on="cold")
# nova_setup is a fork of the zygote, which has nova imported: waiting for it
# costs less than an interpreter of its own importing nova beside it on 2 cores.
DATABASES = Step("nova databases and cells", run=initialize, after=(SCHEMAS_LOADED.name, ZYGOTE),
                 on="cold", report=("nova databases", "created, cells mapped"))
ZYGOTE_SERVICE = Service(ZYGOTE, zygote_spec, untimed(zygote_ready), write_config=write_config)
# They authenticate as the nova user as they start, and fork from the zygote.
_RPC_READY = (rabbitmq.NAME, keystone.CATALOG, ZYGOTE, DATABASES.name)
CONDUCTOR_SERVICE = Service(CONDUCTOR, conductor_spec, _beats(CONDUCTOR),
                            since=last_beat_before_start(CONDUCTOR), write_config=write_config,
                            after=_RPC_READY, user=USER)
SCHEDULER_SERVICE = Service(SCHEDULER, scheduler_spec, _beats(SCHEDULER),
                            since=last_beat_before_start(SCHEDULER), write_config=write_config,
                            after=_RPC_READY, user=USER)
# nova-api needs only its databases to start (it authenticates on its first
# request): its import overlaps the rest of the start-up.
API_SERVICE = Service(API, api_spec, untimed(api_ready), ports=(API,), write_config=write_config,
                      after=(DATABASES.name,), endpoint=("compute", "nova", "/v2.1"), user=USER,
                      databases=SCHEMAS, schema_package="nova")


def compute_service(host: str) -> Service:
    # It reports its inventory to Placement as it starts, and asks the conductor first.
    return Service(compute_process(host), lambda ctx: compute_spec(ctx, host),
                   _beats("nova-compute", host), since=last_beat_before_start("nova-compute", host),
                   write_config=write_config,
                   after=(placement.NAME, CONDUCTOR), user=USER)


COMPUTE_SERVICES = tuple(compute_service(host) for host in COMPUTE_HOSTS)
PROVIDERS = Step("resource providers", ready=providers_reported, after=(placement.NAME, CONDUCTOR))
HOSTS_DISCOVERED = Step("hosts discovered", run=discover_hosts, after=(PROVIDERS.name,), on="cold",
                        report=("cells", "compute hosts mapped to cell1"))
COMPUTES_RESET = Step("computes reset", run=reset_computes, after=(PROVIDERS.name, API), on="warm")
SERVICES_UP = Step("nova services", ready=services_up,
                   after=(HOSTS_DISCOVERED.name, COMPUTES_RESET.name, SCHEDULER, API,
                          *(service.name for service in COMPUTE_SERVICES)))
