"""WSGI entry points for gunicorn.

OpenStack's own entry modules hand sys.argv to oslo.config, which then
rejects gunicorn's arguments; each module here trims it first.
"""
import sys


def trim_argv() -> None:
    sys.argv = sys.argv[:1]
