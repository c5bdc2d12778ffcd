"""The migrated, still empty database schemas, kept for the next cold start.

A cold start's migrations (nova's three databases, placement, keystone,
glance) always end in the same schema for one set of installed packages, as
nova's own functional tests rely on: migrate once, replay the schema. A part
is stored the first time it is migrated and replayed instead of migrating
after that:

    nova.sql, placement.sql   mariadb-dump --no-data, plus the version rows
    keystone.db               the sqlite file right after db_sync, before any data
    glance.db                 the same after db_sync and db_load_metadefs (glance's
                              shipped definitions, the same for every cloud)

No per-cloud data: no cell mappings, users, endpoints, passwords, ports or
paths. The key is the installed versions of the services and MariaDB plus a
hash of our set-up code, so any change of either misses the cache. It lives
in the virtualenv, whose packages define the schema. Each part is written to
a temporary file and renamed (two clouds may start at once) and only read
after; a part that does not load is ignored with one log line and rebuilt.

MariaDB's dumps are made and loaded by services/mariadb.py, on this
module's store. EMBEDDED_CLOUD_SCHEMA_CACHE=off (`embedded-cloud up --no-schema-cache`)
migrates in full and neither reads nor writes the cache.
"""
from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable

from ..runtime.binaries import require
from ..context import Ctx
from ..layout import PROJECT_ROOT, venv_prefix

ENV = "EMBEDDED_CLOUD_SCHEMA_CACHE"
# Our code that decides what the migrations produce.
SETUP_MODULES = tuple(PROJECT_ROOT / "embedded_cloud" / name for name in (
    "setup/schema_cache.py", "setup/nova_setup.py", "setup/keystone_setup.py", "services/mariadb.py",
    "services/nova.py", "services/placement.py", "services/keystone.py", "services/glance.py"))


def packages() -> tuple[str, ...]:
    """The distributions whose migrations make the cached schemas, as the
    services declare them (``Service.schema_package``)."""
    from ..service_table import PROCESSES  # the services import this module

    return tuple(sorted({s.schema_package for s in PROCESSES if s.schema_package}))


def enabled() -> bool:
    return os.environ.get(ENV, "on").lower() not in ("off", "0", "no", "false")


def key(versions: dict[str, str], modules: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for name in sorted(versions):
        digest.update(f"{name}={versions[name]}\n".encode())
    for module in modules:
        digest.update(f"{module.name}\n".encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def current_key() -> str:
    versions = {name: metadata.version(name) for name in packages()}
    versions["mariadb"] = subprocess.run(
        [require("mariadbd", "mariadb-server"), "--version"], capture_output=True, text=True,
        check=True).stdout.strip()
    return key(versions, SETUP_MODULES)


def entry() -> Path:
    return venv_prefix() / "var" / "embedded-cloud" / "schema-cache" / current_key()


def cached(part: str) -> Path | None:
    if not enabled():
        return None
    path = entry() / part
    return path if path.is_file() else None


def store(ctx: Ctx, log: str, part: str, write: Callable[[Path], None]) -> None:
    """Write one part atomically; a failure costs the next start its speed, never this one."""
    if not enabled():
        return
    try:
        entry().mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry(), prefix=f".{part}.")
        os.close(fd)
        try:
            write(Path(tmp))
            os.chmod(tmp, 0o444)
            os.replace(tmp, entry() / part)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except (OSError, subprocess.CalledProcessError, sqlite3.Error) as error:
        note(ctx, log, f"not cached ({error})")
        return
    note(ctx, log, f"{part} cached in {entry()}")


def note(ctx: Ctx, log: str, what: str) -> None:
    ctx.note(log, f"schema cache: {what}")


# ------------------------------------------------------------------- sqlite
def restore_sqlite(ctx: Ctx, log: str, part: str, db: Path) -> bool:
    """Put a cached, migrated sqlite file in place; False: migrate it in full."""
    source = cached(part)
    if source is None:
        return False
    try:
        _copy_sqlite(source, db)
        check = sqlite3.connect(db)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            versions = check.execute("SELECT count(*) FROM alembic_version").fetchone()[0]
        finally:
            check.close()
        if not (ok and versions):
            raise sqlite3.DatabaseError("no migration version recorded")
    except sqlite3.Error as error:
        db.unlink(missing_ok=True)
        note(ctx, log, f"{source} did not load ({error}): ignored, migrating in full")
        return False
    note(ctx, log, f"{db.name} loaded from {source}")
    return True


def save_sqlite(ctx: Ctx, log: str, part: str, db: Path) -> None:
    store(ctx, log, part, lambda target: _copy_sqlite(db, target))


def _copy_sqlite(source: Path, target: Path) -> None:
    # sqlite's backup API: a consistent copy even with the source open elsewhere.
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
