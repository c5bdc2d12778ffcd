"""The HTTP services run under gunicorn's threaded worker, one process each.

Why gunicorn: pure Python from PyPI (uWSGI, devstack's choice, compiles C
and needs a toolchain), and a threaded worker that suits OpenStack's WSGI
apps on native threads. Its worker serves in the process we start, without
gunicorn's master (embedded_cloud/wsgi/serve.py): one process per service,
whose PID we own and whose SIGTERM stops it gracefully.
"""
from __future__ import annotations

import sys

from ..context import Ctx
from ..runtime.processes import ProcessSpec

SERVE = "embedded_cloud.wsgi.serve"


def gunicorn_args(ctx: Ctx, name: str, app: str, threads: int = 8) -> list[str]:
    """serve.py's arguments: gunicorn's options and the application, `module:attribute`."""
    return [
        "--bind", f"127.0.0.1:{ctx.port(name)}",
        "--worker-class", "gthread",
        "--threads", str(threads),
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
    ]


def gunicorn_spec(ctx: Ctx, name: str, app: str, env: dict[str, str] | None = None,
                  threads: int = 8) -> ProcessSpec:
    return ProcessSpec(
        name=name,
        argv=[sys.executable, "-m", SERVE, *gunicorn_args(ctx, name, app, threads)],
        log=ctx.layout.log(name),
        env=env or {},
    )
