"""Which cloud the suite talks to, and the one way to connect to it.

``acceptance.settings`` chooses the cloud once: a clouds.yaml entry, the OS_*
variables (openstacksdk's ``envvars``), or the embedded cloud, which
``open_cloud`` starts through its command when it is not running
(``acceptance.cloud.embedded``). ``CloudAccess`` holds that
choice; every connection of a run comes from its ``factory``:

* fail fast (the default): short timeouts, no retries -- for the preflight,
  the restore and ``suite-cleanup``, which would rather say what is wrong
  within seconds than turn a typo in an auth URL into a minute of silence;
* ``fail_fast=False``: openstacksdk's own timeouts and retries -- for the
  steps, which must ride out a busy cloud.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import openstack
from openstack.config import OpenStackConfig

from acceptance.cloud import embedded
from acceptance.cloud.embedded import EmbeddedFacts
from acceptance.settings import SuiteSettings

API_TIMEOUT = 5.0  # seconds per request, when failing fast

ConnFactory = Callable[[], "openstack.connection.Connection"]


def connection_factory(cloud: str, *, clouds_yaml: str | None = None, fail_fast: bool = True,
                       api_timeout: float = API_TIMEOUT) -> ConnFactory:
    """A factory for ``cloud`` (a clouds.yaml entry, or ``envvars``).

    ``clouds_yaml`` names one file to read instead of the usual search path
    (the embedded cloud's own clouds.yaml).
    """

    def connect() -> openstack.connection.Connection:
        # A named clouds.yaml (the embedded cloud's) is the whole truth:
        # stray OS_* variables must not point the run elsewhere.
        config = (OpenStackConfig(config_files=[clouds_yaml], load_envvars=False)
                  if clouds_yaml else OpenStackConfig())
        if not fail_fast:
            return openstack.connection.Connection(config=config.get_one(cloud=cloud))
        region = config.get_one(cloud=cloud, api_timeout=api_timeout)
        return openstack.connection.Connection(
            config=region, connect_retries=0, status_code_retries=0)

    return connect


@dataclass(frozen=True)
class CloudAccess:
    """The cloud chosen for this run."""

    name: str  # the clouds.yaml entry, "envvars" or the embedded admin cloud
    clouds_yaml: str | None = None  # the embedded cloud's own; None: the usual search path
    facts: EmbeddedFacts | None = None  # what the embedded cloud published, when it is the one

    def factory(self, *, fail_fast: bool = True) -> ConnFactory:
        return connection_factory(self.name, clouds_yaml=self.clouds_yaml, fail_fast=fail_fast)


def cloud_access(settings: SuiteSettings, facts: EmbeddedFacts | None = None) -> CloudAccess:
    """The access to the cloud ``settings`` chose (``facts``: the embedded
    cloud's, when that is the one)."""
    if settings.uses_embedded_cloud:
        return CloudAccess(facts.admin_cloud, facts.clouds_yaml, facts)
    return CloudAccess(settings.cloud)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def open_cloud(settings: SuiteSettings, progress: Callable[[str], None] = _stderr) -> CloudAccess:
    """The chosen cloud; the embedded one is started if it is not running
    (it says so, line by line, through ``progress``). Raises
    ``EmbeddedCloudError`` when it is not installed or does not start."""
    if not settings.uses_embedded_cloud:
        progress(f"cloud: {settings.cloud} (from {settings.cloud_source})")
        return cloud_access(settings)
    embedded.require_command()
    progress(f"embedded cloud: {settings.embedded_run_dir or 'its default run directory'} "
             "(starting it if it is not running)")
    return cloud_access(settings, embedded.start(settings.embedded_run_dir, progress))
