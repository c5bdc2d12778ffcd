"""The HTTP services run under gunicorn.

Why gunicorn: pure Python from PyPI (uWSGI, devstack's choice, compiles C
and needs a toolchain), a pre-fork master whose PID we own and whose
SIGTERM stops its workers, and a threaded worker that suits OpenStack's
WSGI apps on native threads. One worker per service keeps memory down.
"""
from __future__ import annotations

import sys

from ..context import Ctx
from ..layout import venv_bin
from ..processes import ProcessSpec


def gunicorn_spec(ctx: Ctx, name: str, app: str, env: dict[str, str] | None = None) -> ProcessSpec:
    return ProcessSpec(
        name=name,
        argv=[
            sys.executable, venv_bin("gunicorn"),
            "--bind", f"127.0.0.1:{ctx.port(name)}",
            "--workers", "1",
            "--worker-class", "gthread",
            "--threads", "8",
            "--timeout", "300",
            # Clients (openstacksdk) keep connections open and poll about every
            # 2 s; gunicorn's default 2 s keep-alive closes them just as a
            # request goes out ("Remote end closed connection without response").
            "--keep-alive", "75",
            "--graceful-timeout", "5",
            "--name", f"embedded-{name}",
            "--access-logfile", "-",
            "--error-logfile", "-",
            app,
        ],
        log=ctx.layout.log(name),
        env=env or {},
    )
