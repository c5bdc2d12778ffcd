"""MariaDB: nova's and placement's databases, on a unix socket only (no TCP)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pymysql

from ..setup import schema_cache
from ..runtime.binaries import require
from ..context import Ctx
from ..runtime.processes import ProcessSpec
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


# ----------------------------------------------------- the schema cache
# The migrations' bookkeeping tables: the only data a migrated schema holds.
VERSION_TABLES = ("alembic_version", "migrate_version")


def restore_schemas(ctx: Ctx, log: str, part: str, databases: tuple[str, ...]) -> bool:
    """Load a cached dump into the (empty) databases; False: migrate them in full."""
    source = schema_cache.cached(part)
    if source is None:
        return False
    try:
        with open(source, "rb") as dump:
            loaded = subprocess.run(client_argv(ctx), stdin=dump, capture_output=True)
        lines = loaded.stderr.decode(errors="replace").strip().splitlines()
        reason = (lines[-1] if lines else f"exit {loaded.returncode}") if loaded.returncode else ""
    except OSError as error:
        reason = str(error)
    if not reason:
        schema_cache.note(ctx, log, f"{', '.join(databases)} loaded from {source}")
        return True
    schema_cache.note(ctx, log, f"{source} did not load ({reason}): ignored, migrating in full")
    create_databases(ctx, databases, fresh=databases)
    return False


def migrated(ctx: Ctx, databases: tuple[str, ...]) -> bool:
    """Does every one of them hold a migrated schema (the migrations' version rows)?"""
    return all(_version_rows(connect(ctx), database) for database in databases)


def save_schemas(ctx: Ctx, log: str, part: str, databases: tuple[str, ...]) -> None:
    def write(target: Path) -> None:
        with open(target, "wb") as out:
            for database in databases:
                out.write(f"USE `{database}`;\n".encode())
                out.flush()
                subprocess.run([*dump_argv(ctx), "--no-data", database],
                               stdout=out, check=True)
                out.write(_version_rows(connect(ctx), database).encode())

    schema_cache.store(ctx, log, part, write)


def _version_rows(connection, database: str) -> str:
    """The migrations' bookkeeping rows: the only data a migrated schema holds."""
    lines = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables "
                           "WHERE table_schema = %s", (database,))
            tables = {name for (name,) in cursor.fetchall()}
            for table in VERSION_TABLES:
                if table not in tables:
                    continue
                cursor.execute(f"SELECT * FROM `{database}`.`{table}`")
                for row in cursor.fetchall():
                    values = ", ".join(connection.escape(value) for value in row)
                    lines.append(f"INSERT INTO `{database}`.`{table}` VALUES ({values});\n")
    finally:
        connection.close()
    return "".join(lines)
