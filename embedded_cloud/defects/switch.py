"""Change the defects of a healthy cloud by restarting only the processes whose defect changes.

`up` with a new defect set would stop and start all thirteen processes (about
25-50 s here); a defect lives in nova-api or a nova-compute only, so
restarting those few takes seconds. Anything unusual (an unhealthy cloud, a
compute stopped by the fault controls, a defect recorded for another process)
is left to the full `up`.
"""
from __future__ import annotations

from ..services import nova

RESTARTABLE = {nova.API, *(nova.compute_process(host) for host in nova.COMPUTE_HOSTS)}


def switch_in_place(cloud, wanted: dict[str, str]) -> bool:
    """True if the cloud now runs with `wanted`; False if a full `up` is needed."""
    if not cloud.layout.state_file.exists():
        return False  # no cloud here yet; `up` checks and creates everything
    with cloud.locked():
        old = cloud.state.defects
        changed = sorted(p for p in {*old, *wanted} if old.get(p) != wanted.get(p))
        if not changed or not set(changed) <= RESTARTABLE or not cloud.healthy():
            return False
        cloud.say("cloud", f"defects change: restarting {', '.join(changed)} only")

        def record() -> None:
            cloud.state.defects = dict(wanted)
            cloud.state.save(cloud.layout)

        # A compute is ready at its first heartbeat: after its start-up (and its heal).
        cloud.restart(changed, before_start=record)
        return True
