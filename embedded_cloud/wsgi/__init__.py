"""WSGI entry points for gunicorn.

OpenStack's own entry modules hand sys.argv to oslo.config, which then
rejects gunicorn's arguments; each module here calls prepare() first, which
trims it and confines oslo.config's search to the run directory.
"""
import sys

from embedded_cloud.confinement import confine


def prepare() -> None:
    sys.argv = sys.argv[:1]
    confine()
