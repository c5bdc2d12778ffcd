"""A cloud whose schemas came from the schema cache has exactly the schema of
one migrated in full, and works.

One extra cold start, compared with the session's cloud: whichever way the
session's cloud got its schemas (from the cache, or migrated in full when
the cache was empty, filling it), the extra cloud takes the other way, so
the comparison is always cache against full migrations. A session cloud
started by other code (a warm cloud of an earlier checkout) is not
compared: a cold start of this code takes its place.
"""
from __future__ import annotations

import sqlite3

import pytest
from hamcrest import assert_that, equal_to, has_length, is_not

from embedded_cloud import service_table
from embedded_cloud.setup import schema_cache
from embedded_cloud.cloud import EmbeddedCloud
from embedded_cloud.services import glance, keystone, mariadb

from tests.openstack_kit import boot

from .kit import allocations, provider_id, unique

DATABASES = service_table.DATABASES
# The part of information_schema that is the schema: no row counts, sizes or times.
QUERIES = {
    "tables": "SELECT table_schema, table_name, engine, table_collation, create_options "
              "FROM information_schema.tables WHERE table_schema IN %s",
    "columns": "SELECT table_schema, table_name, column_name, ordinal_position, column_default, "
               "is_nullable, column_type, character_set_name, collation_name, column_key, extra "
               "FROM information_schema.columns WHERE table_schema IN %s",
    "indexes": "SELECT table_schema, table_name, index_name, non_unique, seq_in_index, "
               "column_name, sub_part, index_type FROM information_schema.statistics "
               "WHERE table_schema IN %s",
    "foreign keys": "SELECT constraint_schema, constraint_name, table_name, "
                    "referenced_table_name, update_rule, delete_rule "
                    "FROM information_schema.referential_constraints "
                    "WHERE constraint_schema IN %s",
}


def _from_cache(cloud: EmbeddedCloud) -> bool:
    """Did this cloud's last cold start load nova's schemas from the cache?"""
    lines = [line for line in cloud.layout.log("nova-manage").read_text().splitlines()
             if line.startswith("nova_setup: api_db sync")]
    return lines[-1].endswith("skipped: schema from the cache")


def _mariadb_schema(cloud: EmbeddedCloud) -> dict:
    connection = mariadb.connect(cloud.ctx)
    try:
        with connection.cursor() as cursor:
            schema = {}
            for name, query in QUERIES.items():
                cursor.execute(query, (DATABASES,))
                schema[name] = sorted(map(repr, cursor.fetchall()))
            for database in DATABASES:
                cursor.execute(f"SELECT * FROM {database}.alembic_version")
                schema[f"{database} versions"] = sorted(cursor.fetchall())
    finally:
        connection.close()
    return schema


def _sqlite_schema(path) -> dict:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {"objects": connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                              "ORDER BY type, name").fetchall(),
                "versions": connection.execute("SELECT * FROM alembic_version").fetchall()}
    finally:
        connection.close()


def _schemas(cloud: EmbeddedCloud) -> dict:
    return {"mariadb": _mariadb_schema(cloud),
            "keystone": _sqlite_schema(keystone.db(cloud.ctx)),
            "glance": _sqlite_schema(glance.db(cloud.ctx))}


def _of_this_code(cloud: EmbeddedCloud) -> bool:
    """Did this cloud's last cold start use or fill the cache entry of the code
    and packages under test (a warm cloud of an earlier checkout did not)?"""
    lines = [line for line in cloud.layout.log("nova-manage").read_text().splitlines()
             if "schema cache:" in line and "schema-cache" in line]
    return bool(lines) and str(schema_cache.entry()) in lines[-1]


@pytest.fixture
def clouds(embedded_cloud, tmp_path, monkeypatch):
    """(reference, other): two clouds of this code, one with its schemas from
    the cache, the other migrated in full. The session's cloud is the
    reference when this code started it (in CI, always: one extra cold start)."""
    started = []

    def cold_start(name: str, cache: str) -> EmbeddedCloud:
        monkeypatch.setenv(schema_cache.ENV, cache)
        cloud = EmbeddedCloud(tmp_path / name, progress=lambda line: print(line, flush=True))
        started.append(cloud)
        cloud.up()
        return cloud

    try:
        reference = embedded_cloud
        if not _of_this_code(reference):
            # Migrates in full and fills the entry, or loads it if filled.
            reference = cold_start("reference", "on")
        # The other way: "off" migrates in full; "on" loads what the reference filled.
        other = cold_start("other", "off" if _from_cache(reference) else "on")
        assert_that(_from_cache(other), equal_to(not _from_cache(reference)))
        yield reference, other
    finally:
        for cloud in started:
            cloud.down()


def test_a_cloud_from_the_cache_has_the_schema_of_full_migrations_and_works(clouds):
    reference, other_cloud = clouds
    expected, actual = _schemas(reference), _schemas(other_cloud)
    assert_that(actual["mariadb"]["tables"], is_not(has_length(0)))
    for part in expected:
        assert_that(actual[part], equal_to(expected[part]), part)

    # The extra cloud serves: a server holds its flavor in Placement.
    from tests.safety.cloud_kit import admin

    conn = admin(other_cloud)
    flavor = conn.compute.create_flavor(name=unique("schema"), vcpus=1, ram=64, disk=1)
    server = boot(conn, unique("schema"), flavor.id, host="compute1")
    assert_that(allocations(conn, server.id),
                equal_to({provider_id(conn, "compute1"): {"VCPU": 1, "MEMORY_MB": 64, "DISK_GB": 1}}))
