"""The schema cache: its key, its sqlite parts, a corrupt entry, the off switch."""
from __future__ import annotations

from hamcrest import assert_that, equal_to, is_not

from embedded_cloud.setup import schema_cache

VERSIONS = {"nova": "31.0.0", "openstack-placement": "12.0.0", "keystone": "26.0.0",
            "glance": "29.0.0", "mariadb": "mariadbd  Ver 10.11.6-MariaDB"}


def _modules(tmp_path, nova_setup="steps = 4\n"):
    (tmp_path / "nova_setup.py").write_text(nova_setup)
    (tmp_path / "keystone_setup.py").write_text("db_sync()\n")
    return [tmp_path / "nova_setup.py", tmp_path / "keystone_setup.py"]


def test_the_key_is_the_same_for_the_same_packages_and_code(tmp_path):
    assert_that(schema_cache.key(dict(VERSIONS), _modules(tmp_path)),
                equal_to(schema_cache.key(dict(reversed(VERSIONS.items())), _modules(tmp_path))))


def test_a_new_version_of_any_package_changes_the_key(tmp_path):
    before = schema_cache.key(VERSIONS, _modules(tmp_path))
    for name in VERSIONS:
        assert_that(schema_cache.key({**VERSIONS, name: "99"}, _modules(tmp_path)),
                    is_not(equal_to(before)), name)


def test_a_change_of_a_set_up_module_changes_the_key(tmp_path):
    before = schema_cache.key(VERSIONS, _modules(tmp_path))
    assert_that(schema_cache.key(VERSIONS, _modules(tmp_path, "steps = 3\n")),
                is_not(equal_to(before)))


def test_the_real_key_covers_the_services_and_our_set_up_modules():
    assert_that(set(schema_cache.packages()),
                equal_to({"nova", "openstack-placement", "keystone", "glance"}))
    names = {path.name for path in schema_cache.SETUP_MODULES}
    assert_that(names >= {"nova_setup.py", "keystone_setup.py", "mariadb.py", "nova.py",
                          "placement.py", "keystone.py", "glance.py"}, equal_to(True))
    assert_that(all(path.is_file() for path in schema_cache.SETUP_MODULES), equal_to(True))


def _ctx(tmp_path):
    from embedded_cloud.context import Ctx
    from embedded_cloud.layout import Layout
    from embedded_cloud.state import State

    return Ctx(Layout(tmp_path / "run"), State())


def _migrated(path):
    import sqlite3

    connection = sqlite3.connect(path)
    connection.executescript("CREATE TABLE alembic_version (version_num VARCHAR(32));"
                             "INSERT INTO alembic_version VALUES ('abc');"
                             "CREATE TABLE project (id VARCHAR(64) PRIMARY KEY);")
    connection.commit()
    connection.close()


def _dump(path) -> list[str]:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_a_stored_sqlite_schema_is_restored(tmp_path, monkeypatch):
    monkeypatch.setattr(schema_cache, "entry", lambda: tmp_path / "cache")
    monkeypatch.delenv(schema_cache.ENV, raising=False)
    ctx, db = _ctx(tmp_path), tmp_path / "keystone.db"
    _migrated(db)
    schema_cache.save_sqlite(ctx, "keystone-manage", "keystone.db", db)
    restored = tmp_path / "again.db"
    assert_that(schema_cache.restore_sqlite(ctx, "keystone-manage", "keystone.db", restored),
                equal_to(True))
    assert_that(_dump(restored), equal_to(_dump(db)))
    assert_that([p.name for p in (tmp_path / "cache").iterdir()], equal_to(["keystone.db"]))


def test_a_corrupt_entry_is_ignored_with_one_log_line(tmp_path, monkeypatch):
    monkeypatch.setattr(schema_cache, "entry", lambda: tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "glance.db").write_bytes(b"SQLite format 3\0" + b"\x07" * 500)
    ctx, db = _ctx(tmp_path), tmp_path / "glance.db"
    assert_that(schema_cache.restore_sqlite(ctx, "glance-manage", "glance.db", db), equal_to(False))
    assert_that(db.exists(), equal_to(False))  # migrated in full next, from nothing
    lines = ctx.layout.log("glance-manage").read_text().splitlines()
    assert_that(len(lines), equal_to(1))
    assert_that("did not load" in lines[0] and "migrating in full" in lines[0], equal_to(True))


def test_off_neither_reads_nor_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(schema_cache, "entry", lambda: tmp_path / "cache")
    monkeypatch.setenv(schema_cache.ENV, "off")
    ctx, db = _ctx(tmp_path), tmp_path / "keystone.db"
    _migrated(db)
    schema_cache.save_sqlite(ctx, "keystone-manage", "keystone.db", db)
    assert_that((tmp_path / "cache").exists(), equal_to(False))
