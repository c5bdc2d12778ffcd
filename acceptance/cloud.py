"""Which cloud the suite talks to, and an openstacksdk connection to it.

The choice is made by ``acceptance.settings``: a clouds.yaml entry, the OS_*
variables, or the embedded cloud. The embedded cloud is started when it is
not running (it says so, line by line, on stderr); its run directory is
``-D embedded_cloud.run_dir=DIR``, else $EMBEDDED_CLOUD_DIR, else the
project's ``.run/cloud``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import openstack
from openstack.config import loader

from acceptance.settings import SuiteSettings

EMBEDDED_RUN_DIR_KEY = "embedded_cloud.run_dir"


@dataclass
class CloudConnection:
    conn: openstack.connection.Connection
    name: str  # the clouds.yaml entry, "envvars" or the embedded admin cloud
    embedded: object | None  # the EmbeddedCloud, when the suite runs against it


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def start_embedded_cloud(run_dir: str | None, progress: Callable[[str], None] = _stderr):
    """The embedded cloud in ``run_dir``, started if it is not running."""
    # Imported here: a run against a real cloud must not need the embedded one.
    from embedded_cloud.cloud import EmbeddedCloud

    cloud = EmbeddedCloud(run_dir, progress=progress)
    progress(f"embedded cloud: {cloud.layout.root} (starting it if it is not running)")
    cloud.up()
    return cloud


def connect(
    settings: SuiteSettings,
    userdata: Mapping[str, str],
    progress: Callable[[str], None] = _stderr,
    embedded=None,
) -> CloudConnection:
    """``embedded``: the EmbeddedCloud when the caller has started it already."""
    if settings.uses_embedded_cloud:
        from embedded_cloud.clouds_yaml import ADMIN_CLOUD

        cloud = embedded or start_embedded_cloud(userdata.get(EMBEDDED_RUN_DIR_KEY) or None, progress)
        config = loader.OpenStackConfig(config_files=[str(cloud.layout.clouds_yaml)])
        region = config.get_one(cloud=ADMIN_CLOUD)
        return CloudConnection(openstack.connection.Connection(config=region), ADMIN_CLOUD, cloud)
    progress(f"cloud: {settings.cloud} (from {settings.cloud_source})")
    return CloudConnection(openstack.connect(cloud=settings.cloud), settings.cloud, None)
