"""The network stand-in: answers only what Nova asks of Neutron for `networks: none` servers.

See embedded_cloud/wsgi/neutron_standin.py for why it is a stand-in and what it answers.
"""
from __future__ import annotations

from ..context import Ctx
from ..processes import ProcessSpec
from .entry import Service, untimed
from .http_probe import answers
from .wsgi_server import gunicorn_spec

NAME = "neutron-standin"


def spec(ctx: Ctx) -> ProcessSpec:
    return gunicorn_spec(ctx, NAME, "embedded_cloud.wsgi.neutron_standin:application")


def ready(ctx: Ctx) -> bool:
    return answers(ctx.port(NAME))


SERVICE = Service(NAME, spec, untimed(ready), ports=(NAME,), endpoint=("network", "neutron", ""))
