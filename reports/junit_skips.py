"""Put each skipped scenario's reason into its JUnit ``<skipped message=..>``.

behave writes a bare ``<skipped/>``; CI shows the message attribute, and a
skip should always say what was missing. A scenario the suite never saw
(left out by ``--tags``/``--name``, or after ``--stop``) gets ``NOT_RUN``:
behave reports those as skipped too, and a bare one reads like a lost reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from reports.junit import rewrite_testcases

NOT_RUN = "not run: left out by this run's --tags/--name selection, or the run stopped first"


def add_skip_messages(junit_dir, reasons: Mapping[str, str]) -> int:
    """Set ``message`` on the ``<skipped>`` of every testcase: its reason
    from ``reasons`` (scenario name -> reason), else ``NOT_RUN`` when
    behave left it bare; return how many were set."""

    def set_message(testcase) -> bool:
        skipped = testcase.find("skipped")
        if skipped is None:
            return False
        reason = reasons.get(testcase.get("name")) or (None if skipped.get("message") else NOT_RUN)
        if reason:
            skipped.set("message", reason)
        return bool(reason)

    return rewrite_testcases(junit_dir, set_message)
