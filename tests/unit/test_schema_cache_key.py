"""The schema cache's key: any change of an installed version or of our set-up code misses it."""
from __future__ import annotations

from hamcrest import assert_that, equal_to, is_not

from embedded_cloud import schema_cache

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
    assert_that(set(schema_cache.PACKAGES),
                equal_to({"nova", "openstack-placement", "keystone", "glance"}))
    names = {path.name for path in schema_cache.SETUP_MODULES}
    assert_that(names >= {"nova_setup.py", "keystone_setup.py", "mariadb.py", "nova.py",
                          "placement.py", "keystone.py", "glance.py"}, equal_to(True))
    assert_that(all(path.is_file() for path in schema_cache.SETUP_MODULES), equal_to(True))
