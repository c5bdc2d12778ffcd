"""Who carried out a server's delete, told by its instance actions -- and
whether those actions can tell at all.

An absent ``compute_terminate_instance`` event proves a local delete only if
events are visible in the first place (policy, microversion): so the server's
``create`` action must list its compute-side events, and its ``delete``
action must exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from hamcrest.core.base_matcher import BaseMatcher

# Nova records this event when nova-compute itself terminates an instance; a
# local delete (done by nova-api) has none.
COMPUTE_TERMINATE_EVENT = "compute_terminate_instance"
COMPUTE_EVENT_PREFIX = "compute_"  # events nova-compute records, e.g. compute__do_build_and_run_instance


@dataclass(frozen=True)
class DeleteEvidence:
    delete_recorded: bool  # the server has a delete action
    compute_events_visible: bool  # its create action lists compute-side events
    terminated_by_compute: bool  # its delete action has compute_terminate_instance

    @classmethod
    def from_actions(cls, events: dict[str, list[str]]) -> DeleteEvidence:
        """``events``: action name -> event names of its newest instance of that action."""
        return cls(
            delete_recorded="delete" in events,
            compute_events_visible=any(e.startswith(COMPUTE_EVENT_PREFIX) for e in events.get("create", ())),
            terminated_by_compute=COMPUTE_TERMINATE_EVENT in events.get("delete", ()),
        )

    def who_deleted(self) -> str | None:
        """What the actions prove, in words; None where they prove neither."""
        if self.terminated_by_compute:
            return "nova-compute terminated it"
        if self.delete_recorded and self.compute_events_visible:
            return "nova-api deleted it locally"
        return None

    def describe(self) -> str:
        def said(held: bool) -> str:
            return "yes" if held else "no"

        return (f"delete action recorded: {said(self.delete_recorded)}; "
                f"create action lists compute-side events: {said(self.compute_events_visible)}; "
                f"delete action has {COMPUTE_TERMINATE_EVENT}: {said(self.terminated_by_compute)}")


class _Shows(BaseMatcher):
    def __init__(self, local: bool) -> None:
        self.local = local

    def _matches(self, evidence: DeleteEvidence) -> bool:
        if self.local:
            return (evidence.delete_recorded and evidence.compute_events_visible
                    and not evidence.terminated_by_compute)
        return evidence.delete_recorded and evidence.terminated_by_compute

    def describe_to(self, description) -> None:
        description.append_text(
            "a delete action without " + COMPUTE_TERMINATE_EVENT
            + ", and a create action that lists compute-side events" if self.local
            else f"a delete action with {COMPUTE_TERMINATE_EVENT}")

    def describe_mismatch(self, evidence: DeleteEvidence, description) -> None:
        description.append_text(evidence.describe())


def shows_local_delete() -> BaseMatcher:
    """nova-api deleted the server itself: positive proof, not a missing event alone."""
    return _Shows(local=True)


def shows_compute_delete() -> BaseMatcher:
    """nova-compute terminated the server: its delete action carries the event."""
    return _Shows(local=False)
