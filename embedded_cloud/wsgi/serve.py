"""Serve one WSGI application with gunicorn's threaded worker, in this process.

    python -m embedded_cloud.wsgi.serve --bind 127.0.0.1:PORT [gunicorn options] MODULE:APP

gunicorn's command runs a master that forks the workers; with the one
worker each service has, the master only watched it, and held 26 MiB of
every service's memory doing so. Here the process binds the port and
becomes that worker (gunicorn's gthread worker: the same code serves the
requests), so the PID we record is the one that serves. SIGTERM stops it
gracefully (in-flight requests finish, within --graceful-timeout), SIGKILL
at once, as any process of the cloud. A worker gunicorn's master would
have restarted (a crash) stays down and shows as dead in `status`.
"""
from __future__ import annotations

import os
import sys

from gunicorn import sock
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.workers.gthread import ThreadWorker

USAGE = "python -m embedded_cloud.wsgi.serve [gunicorn options] MODULE:APP"


class _Worker(ThreadWorker):
    def is_parent_alive(self) -> bool:
        # No master to lose: the worker's parent is whoever started the cloud,
        # and it may well exit while the cloud runs.
        return True


class _Server(WSGIApplication):
    def run(self) -> None:
        log = self.cfg.logger_class(self.cfg)
        listeners = sock.create_sockets(self.cfg, log)
        log.info("Listening at: %s (%s)", ",".join(str(lnr) for lnr in listeners), os.getpid())
        worker = _Worker(1, os.getppid(), listeners, self, self.cfg.timeout / 2.0, self.cfg, log)
        worker.pid = os.getpid()
        try:
            worker.init_process()  # loads the application, then serves until stopped
        finally:
            worker.tmp.close()


def main() -> int:
    _Server(USAGE, prog="embedded-cloud-wsgi").run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
