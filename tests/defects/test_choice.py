"""Unit tests: naming defects and services on the command line, and the catalog itself."""
from __future__ import annotations

import importlib

import pytest

from embedded_cloud import cli
from embedded_cloud.defects import catalog
from embedded_cloud.defects.choice import choose, describe
from embedded_cloud.errors import CloudError


def test_unknown_defect_is_one_line_naming_the_known_ones(tmp_path, capsys):
    assert cli.main(["--run-dir", str(tmp_path), "up", "--defect", "nova-api=no-such-bug"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown defect 'no-such-bug'" in err
    for name in catalog.DEFECTS:
        assert name in err
    assert not (tmp_path / "state.json").exists(), "nothing may start on a bad name"


@pytest.mark.parametrize("pair, message", [
    ("nova-api", "is not SERVICE=NAME"),
    ("=local-delete-keeps-allocations", "is not SERVICE=NAME"),
    ("nova-apii=local-delete-keeps-allocations", "no service 'nova-apii'"),
    ("compute3=no-heal-on-startup", "no service 'compute3'"),
    ("nova-compute=local-delete-keeps-allocations", "patches nova-api, not 'nova-compute'"),
    ("nova-api=no-heal-on-startup", "patches nova-compute, not 'nova-api'"),
])
def test_bad_choices_say_what_is_wrong(pair, message):
    with pytest.raises(CloudError, match=message):
        choose([pair])


def test_two_defects_for_one_process_are_refused():
    with pytest.raises(CloudError, match="two defects for nova-api"):
        choose(["nova-api=disabled-means-down", "nova-api=ignore-forced-down"])


@pytest.mark.parametrize("service, processes", [
    ("nova-compute", ["nova-compute-compute1", "nova-compute-compute2"]),
    ("compute2", ["nova-compute-compute2"]),
    ("nova-compute-compute1", ["nova-compute-compute1"]),
])
def test_compute_defects_reach_the_named_processes(service, processes):
    assert choose([f"{service}=no-heal-on-startup"]) == dict.fromkeys(processes, "no-heal-on-startup")


def test_status_line():
    assert describe({}) == "defects: none"
    assert describe({"nova-api": "ignore-forced-down"}) == "defects: nova-api=ignore-forced-down"


def test_unknown_defect_in_a_service_process_stops_it(monkeypatch):
    with pytest.raises(SystemExit, match="unknown defect 'nope'; known: "):
        catalog.apply("nope")


@pytest.mark.parametrize("name", sorted(catalog.DEFECTS))
def test_each_defect_module_documents_itself(name):
    defect = catalog.DEFECTS[name]
    module = importlib.import_module(f"embedded_cloud.defects.{defect.module}")
    assert module.DEFECT.name == name and defect.service in ("nova-api", "nova-compute")
    assert defect.breaks and defect.catches, f"{defect.module}: what it breaks and what catches it"
    for part in ("Changes:", "Why"):
        assert part in module.__doc__, f"{defect.module} docstring lacks {part!r}"
    assert callable(module.inject)


def test_every_module_but_the_machinery_declares_a_defect():
    import pkgutil

    import embedded_cloud.defects as package

    modules = {info.name for info in pkgutil.iter_modules(package.__path__)} - catalog.MACHINERY
    assert modules == {defect.module for defect in catalog.DEFECTS.values()}


def test_the_readme_table_is_derived_from_the_records():
    from tests.conftest import PROJECT

    assert catalog.table() in (PROJECT / "README.md").read_text(), \
        "README.md's defect table differs from the records: paste `python -m embedded_cloud.defects.catalog`"
