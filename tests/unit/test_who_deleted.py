"""Who deleted a server, from its instance actions: each claim has a positive basis."""

from hamcrest import assert_that, equal_to, is_not
from hamcrest.core.string_description import StringDescription

from acceptance.checks.who_deleted import DeleteEvidence, shows_compute_delete, shows_local_delete

CREATE = ["conductor_schedule_and_build_instances", "compute__do_build_and_run_instance"]
LOCAL = {"create": CREATE, "delete": []}
BY_COMPUTE = {"create": CREATE, "delete": ["compute_terminate_instance"]}


def mismatch(matcher, evidence) -> str:
    description = StringDescription()
    matcher.describe_mismatch(evidence, description)
    return str(description)


def test_a_local_delete_shows_as_one():
    evidence = DeleteEvidence.from_actions(LOCAL)
    assert_that(evidence, shows_local_delete())
    assert_that(evidence, is_not(shows_compute_delete()))


def test_a_delete_by_the_compute_shows_as_one():
    evidence = DeleteEvidence.from_actions(BY_COMPUTE)
    assert_that(evidence, shows_compute_delete())
    assert_that(evidence, is_not(shows_local_delete()))


def test_hidden_events_are_no_proof_of_a_local_delete():
    evidence = DeleteEvidence.from_actions({"create": [], "delete": []})
    assert_that(evidence, is_not(shows_local_delete()))
    assert_that(mismatch(shows_local_delete(), evidence), equal_to(
        "delete action recorded: yes; create action lists compute-side events: no; "
        "delete action has compute_terminate_instance: no"))


def test_a_missing_delete_action_is_neither():
    evidence = DeleteEvidence.from_actions({"create": CREATE})
    assert_that(evidence, is_not(shows_local_delete()))
    assert_that(evidence, is_not(shows_compute_delete()))
    assert "delete action recorded: no" in mismatch(shows_compute_delete(), evidence)


def test_the_message_says_which_facts_held_for_a_compute_delete():
    assert_that(mismatch(shows_local_delete(), DeleteEvidence.from_actions(BY_COMPUTE)), equal_to(
        "delete action recorded: yes; create action lists compute-side events: yes; "
        "delete action has compute_terminate_instance: yes"))


def test_what_the_actions_prove_is_said_only_where_they_prove_it():
    assert_that(DeleteEvidence.from_actions(BY_COMPUTE).who_deleted(), equal_to("nova-compute terminated it"))
    assert_that(DeleteEvidence.from_actions(LOCAL).who_deleted(), equal_to("nova-api deleted it locally"))
    # No compute-side events visible: a missing terminate event proves nothing.
    assert_that(DeleteEvidence.from_actions({"create": [], "delete": []}).who_deleted(), equal_to(None))
    assert_that(DeleteEvidence.from_actions({"create": CREATE}).who_deleted(), equal_to(None))
