"""Only fault a compute host that runs nothing but the suite's own servers.

nova does not check that a forced-down host is really down: forcing down,
disabling or stopping a host that runs someone else's servers can corrupt
them (a delete becomes a local delete while the guest keeps running, an
evacuation starts a second copy). So before the suite forces down, disables
or stops nova-compute on a host, every server on it must be ours: named with
this run's prefix, or recorded in this run's ledger. Anything else refuses,
unless the user said ``-D allow_foreign_servers=true``.

The check runs at the start, in each scenario's Background, and again right
before every fault (acceptance.cloud.changes.ServiceChanges): a server can
land on the target while the suite's own server is building there. A
refusal is a failing step, never a skip: a skip would hide that the host
was not safe.
"""

from __future__ import annotations

from collections.abc import Iterable

from acceptance.safety.ledger import Ledger

SHOWN = 5  # foreign servers named in the message


class ForeignServersError(AssertionError):
    """A host the suite wanted to fault runs servers that are not the suite's.

    An AssertionError so behave reports the step as failed with this message.
    """


def servers_on(conn, host: str) -> list:
    """Every server on ``host``, in every project.

    openstacksdk maps ``compute_host`` to nova's ``host`` filter (admin
    only); ``host=`` also passes, as the server-side name.
    """
    return list(conn.compute.servers(all_projects=True, compute_host=host))


def foreign_servers(servers: Iterable, prefix: str, ledger: Ledger | None = None) -> list:
    ours = _ledger_ids(ledger)
    return [s for s in servers if not (s.name or "").startswith(prefix) and s.id not in ours]


def check_host_is_ours(conn, host: str, *, prefix: str, ledger: Ledger | None = None,
                       allow_foreign_servers: bool = False) -> None:
    """Raise ``ForeignServersError`` unless every server on ``host`` is the suite's."""
    if allow_foreign_servers:
        return
    foreign = foreign_servers(servers_on(conn, host), prefix, ledger)
    if not foreign:
        return
    shown = ", ".join(f"{s.id} (project {s.project_id}, {s.name})" for s in foreign[:SHOWN])
    more = f" and {len(foreign) - SHOWN} more" if len(foreign) > SHOWN else ""
    raise ForeignServersError(
        f"refusing to force down, disable or stop compute host {host}: it runs "
        f"{len(foreign)} server(s) the suite did not create: {shown}{more}; "
        "pick another host with -D target_host=..., or pass -D allow_foreign_servers=true "
        "if faulting them is acceptable"
    )


def _ledger_ids(ledger: Ledger | None) -> set[str]:
    if ledger is None:
        return set()
    return {record["id"] for record in ledger.records()
            if record.get("event") == "created" and record.get("kind") == "server"}
