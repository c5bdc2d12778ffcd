"""MariaDB: nova's and placement's databases, on a unix socket only (no TCP)."""
from __future__ import annotations

import pymysql

from ..binaries import require
from ..context import Ctx
from ..processes import ProcessSpec
from .entry import Service, untimed

NAME = "mariadb"
# The set-up step that creates every service's databases (service_table.py).
DATABASES_CREATED = "databases created"


def _datadir(ctx: Ctx):
    return ctx.layout.datadir("mariadb")


def _tmpdir(ctx: Ctx) -> str:
    """Its temporary tables, in the run directory (beside the datadir: a
    directory inside it would be a database). In the shared /tmp, two
    servers whose PIDs coincide (PID namespaces) delete each other's
    `#sql-temptable-<pid>-...` files: a query fails with "Error on delete"."""
    tmp = ctx.layout.datadir("mariadb-tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    return f"--tmpdir={tmp}"


def initialize(ctx: Ctx) -> None:
    datadir = _datadir(ctx)
    datadir.mkdir(parents=True, exist_ok=True)
    ctx.run("mariadb-install-db", [
        require("mariadb-install-db", "mariadb-server"), "--no-defaults",
        "--user=root", f"--datadir={datadir}", _tmpdir(ctx),
        "--auth-root-authentication-method=normal", "--skip-test-db",
    ])


def spec(ctx: Ctx) -> ProcessSpec:
    datadir = _datadir(ctx)
    return ProcessSpec(
        name=NAME,
        argv=[
            require("mariadbd", "mariadb-server"), "--no-defaults", "--user=root",
            f"--datadir={datadir}", _tmpdir(ctx), "--skip-networking",
            f"--socket={ctx.layout.mariadb_socket}", f"--pid-file={datadir / 'mysqld.pid'}",
            # A throw-away test database: durability traded for start-up speed.
            "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
            "--innodb-buffer-pool-size=64M", "--performance-schema=OFF",
            "--max-connections=1000", "--character-set-server=utf8mb4",
        ],
        log=ctx.layout.log(NAME),
    )


def connect(ctx: Ctx):
    return pymysql.connect(unix_socket=str(ctx.layout.mariadb_socket), user="root",
                           connect_timeout=1)


def ready(ctx: Ctx) -> bool:
    try:
        connect(ctx).close()
        return True
    except pymysql.err.Error:
        return False


def _client_options(ctx: Ctx) -> list[str]:
    return ["--no-defaults", f"--socket={ctx.layout.mariadb_socket}", "--user=root"]


def client_argv(ctx: Ctx) -> list[str]:
    """The mariadb client, reading SQL from its stdin (schema_cache.py's dumps)."""
    return [require("mariadb", "mariadb-client"), *_client_options(ctx), "--batch"]


def dump_argv(ctx: Ctx) -> list[str]:
    return [require("mariadb-dump", "mariadb-client"), *_client_options(ctx),
            "--skip-comments", "--skip-dump-date"]


def create_databases(ctx: Ctx, databases: tuple[str, ...], fresh: tuple[str, ...] = ()) -> None:
    """Create the databases; those in `fresh` are dropped first (a dump that failed to load)."""
    connection = connect(ctx)
    try:
        with connection.cursor() as cursor:
            for database in fresh:
                cursor.execute(f"DROP DATABASE IF EXISTS {database}")
            for database in databases:
                cursor.execute(f"CREATE DATABASE IF NOT EXISTS {database} CHARACTER SET utf8mb4")
    finally:
        connection.close()


SERVICE = Service(NAME, spec, untimed(ready), initialise=initialize, infrastructure=True)