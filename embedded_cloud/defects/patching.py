"""The two moves every defect is made of: wrap one method, and know whether we are inside another.

Defects patch classes, never instances or module-level names, so objects nova
built before the defect was applied (nova-api builds its app at import) see it.
"""
from __future__ import annotations

import functools
import threading


def wrap(owner: type, name: str, make_wrapper) -> None:
    """Replace owner.name with make_wrapper(original), keeping its name and docstring."""
    original = getattr(owner, name)
    setattr(owner, name, functools.wraps(original)(make_wrapper(original)))


class Scope:
    """Marks the calls made from inside one method, per thread.

    nova-api serves requests on several threads: a flag set by one request's
    delete must not change another request's behaviour.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def active(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    def around(self, owner: type, name: str) -> None:
        """Make owner.name mark its duration as this scope."""
        def make(original):
            def inside(*args, **kwargs):
                self._local.depth = getattr(self._local, "depth", 0) + 1
                try:
                    return original(*args, **kwargs)
                finally:
                    self._local.depth -= 1
            return inside
        wrap(owner, name, make)


def announce(name: str, what: str) -> None:
    """One line in the service's log, so that a reader knows the process is defective."""
    import sys

    print(f"embedded-cloud: defect {name!r} injected: {what}", file=sys.stderr, flush=True)


def once_configured(apply) -> None:
    """Call apply() right after nova has parsed its config files.

    For defects in nova.compute.manager: importing it earlier would fix its
    periodic spacing (update_resources_interval, read when the class is made)
    to nova's default instead of the configured value.
    """
    from nova import config

    def make(original):
        def parse_args(*args, **kwargs):
            result = original(*args, **kwargs)
            apply()
            return result
        return parse_args

    setattr(config, "parse_args", functools.wraps(config.parse_args)(make(config.parse_args)))
