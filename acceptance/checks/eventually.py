"""``eventually``: a hamcrest matcher for states a cloud reaches after a while.

    assert_that(lambda: placement.usages(rp),
                eventually(has_usages({"VCPU": 0}), within=60))

The item is a zero-argument callable; it is polled through
``acceptance.checks.polling.wait_for`` until the inner matcher matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.helpers.wrap_matcher import wrap_matcher
from hamcrest.core.matcher import Matcher

from acceptance.checks.polling import SYSTEM_CLOCK, Clock, PollPolicy, WaitTimeout, wait_for


class Eventually(BaseMatcher[Callable[[], Any]]):
    def __init__(
        self,
        matcher: Matcher[Any],
        within: float,
        what: str | None,
        policy: PollPolicy,
        clock: Clock,
        retry_on: tuple[type[BaseException], ...],
    ) -> None:
        self.matcher = matcher
        self.within = within
        self.what = what
        self.policy = policy
        self.clock = clock
        self.retry_on = retry_on
        # assert_that calls matches() then describe_mismatch() on the same
        # item: remember the failed wait so the mismatch does not wait again.
        self._failed_probe: object = None
        self._timeout: WaitTimeout | None = None

    def _matches(self, item: Any) -> bool:
        self._failed_probe, self._timeout = None, None
        if not callable(item):
            return False
        try:
            wait_for(
                item,
                self.matcher,
                timeout=self.within,
                what=self.what or "the polled value",
                policy=self.policy,
                clock=self.clock,
                retry_on=self.retry_on,
            )
        except WaitTimeout as timeout:
            self._failed_probe, self._timeout = item, timeout
            return False
        return True

    def describe_to(self, description: Description) -> None:
        if self.what:
            description.append_text(f"{self.what}: ")
        description.append_text(f"eventually (within {self.within:g} s) ")
        description.append_description_of(self.matcher)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not callable(item):
            mismatch_description.append_text("was ").append_description_of(item)
            mismatch_description.append_text(", not a zero-argument callable to poll")
            return
        if item is not self._failed_probe and self._matches(item):
            mismatch_description.append_text(f"matched within {self.within:g} s")
            return
        assert self._timeout is not None
        mismatch_description.append_text(f"after {self._timeout.waited} {self._timeout.mismatch}")


def eventually(
    matcher: Matcher[Any] | Any,
    *,
    within: float,
    what: str | None = None,
    policy: PollPolicy = PollPolicy(),
    clock: Clock = SYSTEM_CLOCK,
    retry_on: tuple[type[BaseException], ...] = (),
) -> Eventually:
    """Match a zero-argument callable whose result satisfies ``matcher`` within
    ``within`` seconds. ``what`` names the polled thing in the description;
    ``retry_on`` lists probe exceptions that mean "not yet" (see wait_for)."""
    if within < 0:
        raise ValueError(f"within must be >= 0 seconds, got {within}")
    return Eventually(wrap_matcher(matcher), within, what, policy, clock, retry_on)
