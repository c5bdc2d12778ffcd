"""Nova through openstacksdk's compute proxy: servers, services, actions."""

from __future__ import annotations

from openstack import exceptions

COMPUTE_BINARY = "nova-compute"
# With reclaim_instance_interval > 0 a delete on a live host only soft-deletes:
# the server stays, with its allocations, until it is reclaimed.
SOFT_DELETED = "SOFT_DELETED"


def is_soft_deleted(server) -> bool:
    return server is not None and (server.status or "").upper() == SOFT_DELETED


def soft_delete_message(server) -> str:
    return (f"server {server.name} ({server.id}) is SOFT_DELETED: this cloud has "
            "reclaim_instance_interval > 0, so a delete on a live host only soft-deletes it and "
            "it keeps its allocations until it is reclaimed; the suite force-deletes it in its "
            "cleanups")
# Server moves are asked for at a fixed microversion, not the negotiated one,
# because the outcome depends on it: from 2.95 an evacuated server arrives
# SHUTOFF (below, ACTIVE); 2.91 lets an admin unshelve onto a named host.
# Shelving has no microversion of its own (nova's shelve action is in 2.1),
# so a cloud without 2.91 still runs the scenarios that only shelve.
EVACUATE_MICROVERSION = "2.95"
UNSHELVE_TO_HOST_MICROVERSION = "2.91"
SHELVE_MICROVERSION = "2.1"
EVACUATION = "evacuation"  # a migration's migration_type


class ComputeClient:
    def __init__(self, conn) -> None:
        self.compute = conn.compute

    # ---------------------------------------------------------- services
    def compute_services(self) -> list:
        return list(self.compute.services(binary=COMPUTE_BINARY))

    def compute_service(self, host: str):
        found = [s for s in self.compute.services(binary=COMPUTE_BINARY, host=host) if s.host == host]
        if len(found) != 1:
            raise LookupError(f"expected one nova-compute service on {host!r}, found {len(found)}")
        return found[0]

    # ----------------------------------------------------------- servers
    def servers_per_host(self) -> dict[str, int]:
        """How many servers, of every project, each compute host holds (admin)."""
        counts: dict[str, int] = {}
        for server in self.compute.servers(all_projects=True):
            if server.compute_host:
                counts[server.compute_host] = counts.get(server.compute_host, 0) + 1
        return counts

    def server_or_none(self, server_id: str):
        """The server, or None once it is gone (404)."""
        try:
            return self.compute.get_server(server_id)
        except exceptions.NotFoundException:
            return None

    def action_events(self, server_id: str) -> dict[str, list[str]]:
        """Action name -> the events nova recorded for the newest action of
        that name (readable after the server is gone, 2.21+)."""
        events: dict[str, list[str]] = {}
        for action in self.compute.server_actions(server_id):  # newest first
            if action.action not in events:
                detail = self.compute.get_server_action(action.request_id, server_id)
                events[action.action] = [event.event for event in detail.events or ()]
        return events

    def force_delete_if_soft_deleted(self, server) -> bool:
        """Force-delete a SOFT_DELETED server, as Tempest's waiters do; True
        when asked. Not while a task runs on it (nova answers 409 then)."""
        if not is_soft_deleted(server) or server.task_state:
            return False
        try:
            self.compute.delete_server(server, force=True)  # POST forceDelete
        except exceptions.ConflictException:
            return False  # its state moved on meanwhile: the next look decides
        return True
    # ------------------------------------------------------------- moves
    def _action(self, server_id: str, body: dict, microversion: str) -> None:
        response = self.compute.post(f"/servers/{server_id}/action", json=body, microversion=microversion)
        exceptions.raise_from_response(response)

    def evacuate(self, server_id: str, host: str) -> None:
        """Rebuild the server of a down host on ``host`` (admin); returns once accepted."""
        self._action(server_id, {"evacuate": {"host": host}}, EVACUATE_MICROVERSION)

    def shelve(self, server_id: str) -> None:
        self._action(server_id, {"shelve": None}, SHELVE_MICROVERSION)

    def shelve_offload(self, server_id: str) -> bool:
        """Offload a SHELVED server (admin, ``shelveOffload``); False when nova
        answers 409: its task state moved on (the cloud's own periodic offload
        started first), and the wait that follows decides."""
        try:
            self.compute.shelve_offload_server(server_id)
        except exceptions.ConflictException:
            return False
        return True

    def unshelve(self, server_id: str, host: str) -> None:
        self._action(server_id, {"unshelve": {"host": host}}, UNSHELVE_TO_HOST_MICROVERSION)

    def evacuations(self, server_id: str) -> list:
        """The server's evacuation migrations (records of soft-deleted servers are hidden)."""
        return list(self.compute.migrations(server_id=server_id, migration_type=EVACUATION))

    def evacuations_from(self, host: str, status: str) -> list:
        """Evacuation migrations off ``host`` in ``status`` (e.g. ``done``: not yet cleaned
        up by the source's nova-compute, which keeps nova from un-forcing it)."""
        return list(self.compute.migrations(source_compute=host, migration_type=EVACUATION, status=status))
