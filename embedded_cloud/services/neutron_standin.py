"""The network stand-in: answers only what Nova asks of Neutron for servers with no networks.

See embedded_cloud/wsgi/neutron_standin.py for why it is a stand-in and what it answers.
What it cannot answer it records in the run directory (Layout.standin_record),
which `embedded-cloud status` prints and the cloud tests check.
"""
from __future__ import annotations

from ..context import Ctx
from ..runtime.processes import ProcessSpec
from ..wsgi.neutron_standin import RECORD_ENV
from .entry import Service, untimed
from .http_probe import answers
from .wsgi_server import gunicorn_spec

NAME = "neutron-standin"


def spec(ctx: Ctx) -> ProcessSpec:
    return gunicorn_spec(ctx, NAME, "embedded_cloud.wsgi.neutron_standin:application",
                         env={RECORD_ENV: str(ctx.layout.standin_record)})


def ready(ctx: Ctx) -> bool:
    return answers(ctx.port(NAME))


SERVICE = Service(NAME, spec, untimed(ready), ports=(NAME,), endpoint=("network", "neutron", ""))
