"""The delete step's message when nova-api answers 5xx with its path to Placement cut
(acceptance/checks/placement_cut.py; seen for real in tests/releases on a fresh 2024.1)."""
from __future__ import annotations

from hamcrest import all_of, assert_that, contains_string, is_not, starts_with

from acceptance.checks.placement_cut import delete_refused_while_cut


def test_it_says_what_nova_answered_what_is_left_and_the_known_cause():
    message = delete_refused_while_cut("doomed", 500, "req-42", "status ACTIVE, task state deleting")
    assert_that(message, all_of(
        starts_with('nova-api answered 500 to the delete of server "doomed" while its path to Placement was cut'),
        contains_string("(request req-42)"),
        contains_string("the server is still there (status ACTIVE, task state deleting)"),
        contains_string("an openstacksdk older than 4.11.0 (a17e53ce7)"),
        is_not(contains_string("\n"))))


def test_a_server_gone_all_the_same_is_said_so_and_a_missing_request_id_is_left_out():
    message = delete_refused_while_cut("doomed", 503, None, None)
    assert_that(message, all_of(contains_string("answered 503"), contains_string("the server is gone all the same"),
                                is_not(contains_string("(request"))))
