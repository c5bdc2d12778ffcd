"""Every path an embedded-cloud service may use is in its run directory or the virtualenv.

A fresh machine has no /etc/keystone, /var/lib/nova or /etc/nova. A default
such as keystone's `[fernet_receipts] key_repository = /etc/keystone/fernet-keys/`
left in force works only where earlier work left that directory, and fails
everywhere else. These tests write each service's configs as `embedded-cloud
up` does, load them with every option the service registers (the
`oslo.config.opts` entry points its own config generator lists), and fail on
any path outside the run directory and the virtualenv, naming the service and
the option. No cloud is needed.
"""
from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from embedded_cloud.context import Ctx
from embedded_cloud.layout import Layout, venv_prefix
from embedded_cloud.setup.nova_option_names import NAMESPACES
from embedded_cloud.services import glance, keystone, nova, placement
from embedded_cloud.state import State

COMMON = ("oslo.log", "oslo.policy", "oslo.middleware", "oslo.db", "osprofiler",
          "keystonemiddleware.auth_token")


@dataclass(frozen=True)
class Service:
    """One process (or *-manage command) of the embedded cloud, as oslo.config sees it."""

    name: str
    configs: tuple[str, ...]  # as the process is given them, under <run dir>/etc
    namespaces: tuple[str, ...]  # from the project's oslo-config-generator file
    # Groups the process never reads in the embedded cloud, with the reason.
    unused_groups: dict[str, str] = field(default_factory=dict)
    unused_options: dict[tuple[str, str], str] = field(default_factory=dict)


OTHER_HYPERVISORS = "a group of another virt driver; the computes run nova's fake driver"
NOVA_NAMESPACES = NAMESPACES  # also what `up --nova-option` is checked against
NOVA_UNUSED = {"libvirt": OTHER_HYPERVISORS, "vmware": OTHER_HYPERVISORS,
               "zvm": OTHER_HYPERVISORS, "hyperv": OTHER_HYPERVISORS,
               "ironic": OTHER_HYPERVISORS, "powervm": OTHER_HYPERVISORS}


def _nova(name: str, *configs: str) -> Service:
    return Service(name, tuple(f"nova/{c}" for c in configs), NOVA_NAMESPACES, NOVA_UNUSED)


SERVICES = (
    Service("keystone", ("keystone/keystone.conf",),
            ("keystone", *COMMON, "oslo.messaging", "oslo.concurrency", "oslo.cache",
             "oslo.limit")),
    Service("placement", ("placement/placement.conf",),
            ("placement.conf", *COMMON, "oslo.middleware.cors",
             "oslo.middleware.http_proxy_to_wsgi")),
    Service("glance", ("glance/glance-api.conf",),
            ("glance.api", "glance.store", "glance.multi_store", "glance.manage", *COMMON,
             "oslo.messaging", "oslo.concurrency", "oslo.limit", "castellan.config",
             "oslo.reports"),
            # glance runs multi-store (enabled_backends); its store is the [fs] group.
            unused_groups={group: "a store group of single-store glance; the one store here "
                                  "is [fs], set in the config"
                           for group in ("file", "cinder", "glance.store.vmware_datastore.Store",
                                         "glance.store.rbd.Store", "glance.store.s3.Store",
                                         "glance.store.swift.Store", "glance.store.http.Store")},
            unused_options={("glance_store", "vmware_store_image_dir"):
                            "a folder on a VMware datastore, not on this machine"}),
    _nova("nova-api", "nova.conf", "nova-db.conf", "nova-api.conf"),
    _nova("nova-conductor", "nova.conf", "nova-db.conf"),
    _nova("nova-scheduler", "nova.conf", "nova-db.conf"),
    _nova("nova-manage", "nova.conf", "nova-db.conf"),
    *(_nova(nova.compute_process(host), "nova.conf", f"{host}.conf")
      for host in nova.COMPUTE_HOSTS),
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """The configs of an embedded cloud, written as `embedded-cloud up` writes them."""
    layout = Layout(tmp_path_factory.mktemp("cloud").resolve())
    layout.make()
    ports = defaultdict(lambda: 1)  # no port is opened: the configs only name them
    ctx = Ctx(layout, State(ports=ports))
    for service in (keystone, placement, glance, nova):
        service.write_config(ctx)
    return layout.root


def _options(namespaces):
    """(group, opt) for every option the namespaces register, as their entry points list them."""
    found = {ep.name: ep for ep in entry_points(group="oslo.config.opts")}
    missing = [n for n in namespaces if n not in found]
    assert not missing, f"no oslo.config.opts entry point {missing}: is the virtualenv complete?"
    for namespace in namespaces:
        for group, opts in found[namespace].load()():
            name = getattr(group, "name", group) or "DEFAULT"
            for opt in opts:
                yield name, opt


def _loaded(service: Service, files: list[str]):
    from oslo_config import cfg

    conf = cfg.ConfigOpts()
    for group, opt in _options(service.namespaces):
        opt = copy.copy(opt)
        opt.required = False  # what is asked here is paths, not whether the config is complete
        try:
            conf.register_opt(opt, group=None if group == "DEFAULT" else group)
        except cfg.DuplicateOptError:
            pass  # two libraries register the same name; the first one stands
    conf(args=[], project=None, default_config_files=files, default_config_dirs=[])
    return conf


def _paths(value) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    paths = []
    for item in values:
        if isinstance(item, str) and item.startswith("file://"):
            item = item[len("file://"):]
        if isinstance(item, (str, os.PathLike)) and str(item).startswith("/"):
            paths.append(str(item))
    return paths


def outside_paths(service: Service, run_dir: Path, files: list[str] | None = None) -> list[str]:
    """'SERVICE: [group] option = path' for each path in force outside the allowed places."""
    conf = _loaded(service, files or [str(run_dir / "etc" / c) for c in service.configs])
    allowed = (str(run_dir), str(venv_prefix()))
    found = []
    for group, opt in _options(service.namespaces):
        if group in service.unused_groups or (group, opt.dest) in service.unused_options:
            continue
        section = conf if group == "DEFAULT" else conf[group]
        try:
            value = section[opt.dest]
        except Exception:  # a default whose $template names an option of an unloaded library
            value = opt.default
        for path in _paths(value):
            if not any(path == place or path.startswith(place + "/") for place in allowed):
                found.append(f"{service.name}: [{group}] {opt.dest} = {path}")
    return sorted(set(found))


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_every_path_a_service_uses_is_in_the_run_directory_or_the_virtualenv(service, run_dir):
    found = outside_paths(service, run_dir)
    assert not found, (
        "defaults outside the run directory and the virtualenv are in force; set each in "
        "embedded_cloud/services/ (or name its group as unused, with the reason):\n  "
        + "\n  ".join(found))


def test_the_check_names_the_option_and_the_service_when_a_default_is_left_in_force(run_dir, tmp_path):
    # keystone.conf without the one line whose absence broke every fresh machine.
    written = (run_dir / "etc/keystone/keystone.conf").read_text()
    section = written.index("[fernet_receipts]")
    without = written[:section] + written[written.index("\n\n", section) + 2:]
    copy = tmp_path / "etc/keystone/keystone.conf"
    copy.parent.mkdir(parents=True)
    copy.write_text(without)
    found = outside_paths(SERVICES[0], run_dir, [str(copy)])
    assert found == ["keystone: [fernet_receipts] key_repository = /etc/keystone/fernet-keys/"]


CONFINED_SEARCH = """
import json, sys
from oslo_config import cfg
if sys.argv[1] == "confined":
    from embedded_cloud.runtime.confinement import confine
    confine()
conf = cfg.ConfigOpts()
conf(args=[], project="nova", default_config_files=[])
print(json.dumps({"dirs": cfg.find_config_dirs("nova"), "policy": conf.find_file("policy.yaml")}))
"""


@pytest.mark.parametrize("mode", ["confined", "as installed"])
def test_oslo_config_searches_only_the_run_directory(mode, tmp_path):
    """~/.nova/nova.conf.d and ~/.nova/policy.yaml stand for what earlier work left
    on a machine (as /etc/nova would; HOME is the part a test can own)."""
    import json

    home = tmp_path / "home"
    (home / ".nova/nova.conf.d").mkdir(parents=True)
    (home / ".nova/policy.yaml").write_text("{}\n")
    run = tmp_path / "run"
    (run / "etc/nova").mkdir(parents=True)
    env = {**os.environ, "HOME": str(home), "EMBEDDED_CLOUD_RUN_DIR": str(run)}
    result = subprocess.run([sys.executable, "-c", CONFINED_SEARCH, mode], env=env,
                            capture_output=True, text=True, check=True)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    if mode == "confined":
        assert seen == {"dirs": [], "policy": None}
    else:  # the leak the confinement closes: proof the first case can fail
        assert seen == {"dirs": [str(home / ".nova/nova.conf.d")],
                        "policy": str(home / ".nova/policy.yaml")}
