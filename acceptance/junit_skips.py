"""Put each skipped scenario's reason into its JUnit ``<skipped message=..>``.

behave writes a bare ``<skipped/>``; CI shows the message attribute, and a
skip should always say what was missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree import ElementTree

from reports.junit import _write_atomically, report_files, validate


def add_skip_messages(junit_dir, reasons: Mapping[str, str]) -> int:
    """Set ``message`` on the ``<skipped>`` of every testcase named in
    ``reasons`` (scenario name -> reason); return how many were set."""
    updated = 0
    for path in report_files(junit_dir):
        tree = ElementTree.parse(path)
        changed = 0
        for testcase in tree.getroot().iter("testcase"):
            skipped = testcase.find("skipped")
            reason = reasons.get(testcase.get("name"))
            if skipped is not None and reason:
                skipped.set("message", reason)
                changed += 1
        if changed:
            _write_atomically(tree, path)
            validate(path)
            updated += changed
    return updated
