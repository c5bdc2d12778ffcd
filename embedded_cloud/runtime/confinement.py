"""Keep each OpenStack process of the embedded cloud inside its run directory.

Besides the config files it is given, oslo.config looks in ~/.PROJECT, ~,
/etc/PROJECT and /etc: for PROJECT.conf.d directories, which every service
reads, and for files named relative to the config, such as policy.yaml and
policy.d. On a machine where OpenStack was installed before, the embedded
cloud would read those, and behave differently from a fresh machine. Every
process of the embedded cloud calls confine() before it parses its config,
so oslo.config searches <run dir>/etc/PROJECT alone.
"""
from __future__ import annotations

import os

from .processes import MARKER


def search_dirs(run_dir: str, project: str | None) -> list[str]:
    """Where oslo.config may look for a project's files: the run directory's etc only."""
    etc = os.path.join(run_dir, "etc")
    return [os.path.join(etc, project)] if project else [etc]


def confine() -> None:
    """Point oslo.config's search at the run directory named in the environment.

    oslo.config has one function that lists the search directories
    (_get_config_dirs); the *.conf.d search, the default config files and
    ConfigOpts.find_file all go through it.
    """
    run_dir = os.environ.get(MARKER)
    if not run_dir:
        raise RuntimeError(f"{MARKER} is not set: start this process through embedded-cloud")
    from oslo_config import cfg

    cfg._get_config_dirs = lambda project=None: search_dirs(run_dir, project)
