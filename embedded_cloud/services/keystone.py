"""Keystone: identity for every other service (sqlite, fernet tokens)."""
from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet

from ..setup import schema_cache
from ..context import Ctx, ini
from ..layout import venv_prefix
from ..runtime.processes import ProcessSpec
from ..state import written_file
from .entry import Service, Step, untimed
from .http_probe import answers
from .wsgi_server import gunicorn_spec

NAME = "keystone"
# The set-up step that fills its catalog: users, projects and every endpoint
# of the table (service_table.py, where the endpoints are derived).
CATALOG = "users and endpoints"
# Left in its data directory by a cold start's initialisation, for the server
# to run keystone_setup before it serves: SCHEMA_LOADED (the cache had the
# schema) or "migrate"; removed once the set-up is done.
SETUP_PENDING = "setup-pending"
SCHEMA_LOADED = "schema-loaded"


def _conf(ctx: Ctx):
    return ctx.conf_path("keystone/keystone.conf")


def db(ctx: Ctx) -> Path:
    return ctx.layout.datadir(NAME) / "keystone.db"


def write_config(ctx: Ctx) -> None:
    data = ctx.layout.datadir(NAME)
    written_file(_conf(ctx), ini({
        "DEFAULT": {"debug": False},
        # sqlite's lock wait raised from 5 s: on a loaded 2-core machine a
        # write outlasted it and a token request got "database is locked" (500).
        "database": {"connection": f"sqlite:///{db(ctx)}?timeout=30"},
        "token": {"provider": "fernet"},
        # keystone's cache in its one process, as devstack runs it with
        # memcached: without it every token issued or validated rebuilt the
        # token's roles and catalog from the database (30 issues, validations
        # and project lists: 9.7 CPU s without, 1.1 s with it), and each
        # service authenticates as it starts, beside nova's imports on 2 cores.
        "cache": {"enabled": True, "backend": "dogpile.cache.memory"},
        "fernet_tokens": {"key_repository": data / "fernet-keys"},
        # bootstrap checks the receipts repository too; its default is /etc/keystone/fernet-keys/.
        "fernet_receipts": {"key_repository": data / "fernet-keys"},
        "credential": {"key_repository": data / "credential-keys"},
        # bcrypt's minimum cost: every password login is fast in a test cloud.
        "identity": {"password_hash_rounds": 4, "domain_config_dir": data / "domains"},
        # Unused here, but their defaults are under /etc/keystone: every path
        # keystone could touch is in the run directory or the virtualenv
        # (tests/unit/test_config_paths.py).
        "federation": {"sso_callback_template":
                       venv_prefix() / "etc/keystone/sso_callback_template.html"},
        "jwt_tokens": {"jws_public_key_repository": data / "jws-keys/public",
                       "jws_private_key_repository": data / "jws-keys/private"},
        "saml": {"certfile": data / "saml/signing_cert.pem",
                 "keyfile": data / "saml/signing_key.pem",
                 "idp_metadata_path": data / "saml/idp_metadata.xml"},
        "oslo_middleware": {"http_basic_auth_user_file": data / "htpasswd"},
    }))


def _key_repository(path: Path) -> None:
    """What `keystone-manage fernet_setup` / `credential_setup` leave: key 0
    (staged) and key 1 (primary), one Fernet key each. Written here, it saves
    two interpreters that would import all of keystone to write 88 bytes."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for index in ("0", "1"):
        written_file(path / index, Fernet.generate_key().decode())


def initialize(ctx: Ctx) -> None:
    data = ctx.layout.datadir(NAME)
    data.mkdir(parents=True, exist_ok=True)
    for repository in ("fernet-keys", "credential-keys"):
        _key_repository(data / repository)
    loaded = schema_cache.restore_sqlite(ctx, "keystone-manage", "keystone.db", db(ctx))
    # db_sync (unless the cache had its result), bootstrap, users, projects
    # and endpoints: done by keystone's server as it starts, in a fork that
    # shares its import of keystone (keystone_setup.run_pending), which also
    # caches the schema.
    written_file(data / SETUP_PENDING, SCHEMA_LOADED if loaded else "migrate", 0o600)


def report_schema_cached(ctx: Ctx) -> list[tuple[str, str]]:
    """The schema cache's line, if keystone's set-up stored the schema in this
    cold start (after initialize wrote the keys): the set-up's own line went
    to keystone's log."""
    part = schema_cache.cached("keystone.db")
    keys = ctx.layout.datadir(NAME) / "fernet-keys" / "0"
    if part is None or not keys.is_file() or part.stat().st_mtime < keys.stat().st_mtime:
        return []
    return [("keystone-manage", f"schema cache: keystone.db cached in {schema_cache.entry()}")]


def spec(ctx: Ctx) -> ProcessSpec:
    # One request at a time. A password login reads the user, then writes its
    # last_active_at in the same transaction (keystone/identity/core.py
    # authenticate -> shadow_users_api.set_last_active_at: once per user and
    # day), and oslo.db begins sqlite transactions deferred: two such logins
    # at once each hold the read lock the other's write needs, and sqlite
    # answers one "database is locked" at once, without waiting out the
    # timeout below -- a 500 to a token request. It failed a cold start of
    # 2025.2 as nova's services first logged in together, and 4 to 6 of 16
    # concurrent logins on any release once last_active_at was cleared.
    # (BEGIN IMMEDIATE instead deadlocks keystone's nested sessions.)
    return gunicorn_spec(ctx, NAME, "embedded_cloud.wsgi.keystone:application",
                         env={"OS_KEYSTONE_CONFIG_FILES": str(_conf(ctx))}, threads=1)


def ready(ctx: Ctx) -> bool:
    return answers(ctx.port(NAME), "/v3")


SERVICE = Service(NAME, spec, untimed(ready), ports=(NAME,), write_config=write_config,
                  initialise=initialize, endpoint=("identity", "keystone", "/v3"),
                  schema_package="keystone")
SCHEMA_REPORTED = Step("keystone schema cached", run=report_schema_cached, after=(NAME,), on="cold")
