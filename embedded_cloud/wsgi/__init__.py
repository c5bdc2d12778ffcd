"""WSGI entry points for the HTTP services (served by serve.py).

OpenStack's own entry modules hand sys.argv to oslo.config, which then
rejects gunicorn's arguments; each module here calls prepare() first, which
trims it and confines oslo.config's search to the run directory.
"""
import importlib
import sys
from contextlib import contextmanager

from embedded_cloud.runtime.confinement import confine


def prepare() -> None:
    sys.argv = sys.argv[:1]
    confine()


@contextmanager
def loading(service: str):
    """Turn an application's sys.exit() while loading into an exception.

    keystone exits on some bad configs (a missing key repository) with only
    its message, or only a code; the error names the service too, and the
    process ends as any failed start does (`up` reports the log's last
    lines at once).
    """
    try:
        yield
    except SystemExit as exit:
        # keystone passes its message as the exit code.
        cause = exit.code if isinstance(exit.code, str) else f"exit code {exit.code}"
        raise RuntimeError(f"{service} exited while loading its application: {cause}") from None


def application_of(module: str, older: str, factory: str):
    """``module``'s ``application``; in a release that has no such module
    yet, what ``older``'s ``factory()`` returns (the entry point pbr
    generated a WSGI script from before)."""
    try:
        return importlib.import_module(module).application
    except ModuleNotFoundError as error:
        if not error.name or not module.startswith(error.name):
            raise  # a missing dependency, not a missing entry point
    return getattr(importlib.import_module(older), factory)()
