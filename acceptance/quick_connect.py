"""Connections that fail fast: short timeouts, no retries.

keystoneauth and openstacksdk retry by default, which turns a typo in an
auth URL into a minute of silence. The preflight (and the cleanup command)
would rather say what is wrong within seconds.
"""

from __future__ import annotations

from collections.abc import Callable

import openstack
from openstack.config import OpenStackConfig

API_TIMEOUT = 5.0  # seconds per request

ConnFactory = Callable[[], "openstack.connection.Connection"]


def connection_factory(cloud: str, *, clouds_yaml: str | None = None,
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
        region = config.get_one(cloud=cloud, api_timeout=api_timeout)
        return openstack.connection.Connection(
            config=region, connect_retries=0, status_code_retries=0)

    return connect


def known_clouds(clouds_yaml: str | None = None) -> list[str]:
    try:
        return OpenStackConfig(config_files=[clouds_yaml] if clouds_yaml else None).get_cloud_names()
    except Exception:  # noqa: BLE001 - only used to make a message helpful
        return []
