"""A JUnit file for a run that stopped before any scenario: a bad setting,
the embedded cloud not starting, a failed preflight.

behave writes its JUnit files as each feature ends, so a run stopped in
``before_all`` would leave CI nothing to show but a red step. This file holds
one failing testcase, named for the check that stopped the run, carrying the
check's one-line message.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree

CLASSNAME = "preflight"
FILE_NAME = "TESTS-preflight.xml"  # behave's own files are TESTS-<feature>.xml


def write_stopped_run(junit_dir, check: str, message: str) -> Path:
    """Write ``junit_dir``/TESTS-preflight.xml: testcase ``check`` failed
    with ``message`` (already one line, secrets already masked)."""
    suite = ElementTree.Element("testsuite", {
        "name": CLASSNAME, "tests": "1", "failures": "1", "errors": "0", "skipped": "0",
        "time": "0", "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
        "hostname": socket.gethostname(),
    })  # fmt: skip
    case = ElementTree.SubElement(suite, "testcase", {
        "classname": CLASSNAME, "name": check, "status": "failed", "time": "0"})
    failure = ElementTree.SubElement(case, "failure", {"type": "RunStopped", "message": message})
    failure.text = message
    path = Path(junit_dir) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    ElementTree.ElementTree(suite).write(partial, encoding="UTF-8", xml_declaration=True)
    os.replace(partial, path)  # a reader never sees half a file
    return path
