"""Turn `--nova-option SECTION.KEY=VALUE` options into {section: {key: value}}, or one clear error.

They let the embedded cloud run with a real cloud's nova settings (e.g.
`DEFAULT.reclaim_instance_interval=3600`, where a delete on a live host is a
soft delete) and are written into nova.conf after the cloud's own values, so
they win. Every nova process reads nova.conf.
"""
from __future__ import annotations

import re

from ..errors import CloudError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
EXAMPLE = "--nova-option DEFAULT.reclaim_instance_interval=3600"


def parse(pairs: list[str]) -> dict[str, dict[str, str]]:
    chosen: dict[str, dict[str, str]] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        section, dot, key = name.strip().rpartition(".")
        if not equals or not dot or not _NAME.match(section) or not _NAME.match(key) \
                or "\n" in value:
            raise CloudError(f"--nova-option {pair!r} is not SECTION.KEY=VALUE; e.g. {EXAMPLE}")
        chosen.setdefault(section, {})[key] = value.strip()
    return chosen


def merged(config: dict[str, dict[str, object]], options: dict[str, dict[str, str]]) -> dict:
    """``config`` with ``options`` laid over it (a new dict; sections kept in order)."""
    result = {section: dict(values) for section, values in config.items()}
    for section, values in options.items():
        result.setdefault(section, {}).update(values)
    return result


def describe(options: dict[str, dict[str, str]]) -> str:
    """One line for `embedded-cloud status`."""
    if not options:
        return "nova options: none"
    return "nova options: " + ", ".join(
        f"{section}.{key}={value}" for section, values in sorted(options.items())
        for key, value in sorted(values.items()))
