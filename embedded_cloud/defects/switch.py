"""Change the defects of a healthy cloud by restarting only the processes whose defect changes.

`up` with a new defect set would stop and start all thirteen processes (about
25-50 s here); a defect lives in nova-api or a nova-compute only, so
restarting those few takes seconds. Anything unusual (an unhealthy cloud, a
compute stopped by the fault controls, a defect recorded for another process)
is left to the full `up`.
"""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from .. import catalog, processes
from ..services import nova
from ..state import ProcessRecord, State, exclusive

COMPUTES = {nova.compute_process(host): host for host in nova.COMPUTE_HOSTS}
RESTARTABLE = {nova.API, *COMPUTES}


def switch_in_place(cloud, wanted: dict[str, str]) -> bool:
    """True if the cloud now runs with `wanted`; False if a full `up` is needed."""
    if not cloud.layout.state_file.exists():
        return False  # no cloud here yet; `up` checks and creates everything
    with exclusive(cloud.layout):
        cloud.state = State.load(cloud.layout)
        old = cloud.state.defects
        changed = sorted(p for p in {*old, *wanted} if old.get(p) != wanted.get(p))
        if not changed or not set(changed) <= RESTARTABLE or not cloud._healthy():
            return False
        cloud._say("cloud", f"defects change: restarting {', '.join(changed)} only")
        _stop_together(cloud, changed)
        cloud.state.defects = dict(wanted)
        cloud.state.save(cloud.layout)
        started = datetime.now(timezone.utc)
        ctx = cloud.ctx
        for name in changed:
            cloud._spawn(nova.api_spec(ctx) if name == nova.API else nova.compute_spec(ctx, COMPUTES[name]))
        if nova.API in changed:
            cloud._await(nova.API, lambda: nova.api_ready(ctx))
        conn = catalog.admin_connection(ctx)
        for name in changed:
            if name in COMPUTES:
                # Its first heartbeat comes after start-up (and its heal) is done.
                cloud._await(name, lambda host=COMPUTES[name]: _beat_since(conn, host, started))
        return True


def _stop_together(cloud, names: list[str]) -> None:
    """SIGTERM them at once: each compute takes up to its graceful_shutdown_timeout."""
    records: list[ProcessRecord] = [cloud.state.processes[name] for name in names]
    threads = [threading.Thread(target=processes.stop, kwargs={"timeout": 20.0},
                                args=(processes.Started(r.pid, r.start_ticks),)) for r in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in names:
        cloud._say(name, "stopped")


def _beat_since(conn, host: str, since: datetime) -> bool:
    for service in conn.compute.services(binary="nova-compute", host=host):
        if service.updated_at:
            beat = datetime.fromisoformat(service.updated_at.replace("Z", "+00:00"))
            if (beat if beat.tzinfo else beat.replace(tzinfo=timezone.utc)) > since:
                return True
    return False
