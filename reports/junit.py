"""Check and enrich behave's JUnit XML output (``behave --junit``).

behave writes one ``TESTS-<feature>.xml`` file per feature, each with a
``<testsuite>`` root and one ``<testcase>`` per scenario (each Scenario
Outline row is a testcase of its own). Only the standard library's XML is
used here: a run needs nothing more. That every file the suite writes matches
the JUnit schema is the project's own test (tests/reports/junit_schema.py).
"""

import os
import shutil
import tempfile
from pathlib import Path
from xml.etree import ElementTree

def report_files(junit_dir):
    """The JUnit files behave wrote into ``--junit-directory``."""
    return sorted(Path(junit_dir).glob("*.xml"))


def add_properties(junit_dir, properties_by_testcase):
    """Insert ``<properties><property name=.. value=../></properties>`` into
    testcases of every JUnit file in ``junit_dir``.

    :param properties_by_testcase: maps a testcase to its properties. A key
        is either the testcase name (the scenario name) or a
        ``(classname, name)`` pair when names repeat across features. The
        properties are a mapping or an iterable of ``(name, value)`` pairs,
        e.g. :func:`reports.request_counts.junit_properties` output.
    :return: number of testcases that received properties.

    Files are rewritten atomically, so a report is never left half-written.
    """
    wanted = {key: _as_pairs(value) for key, value in properties_by_testcase.items()}

    def add(testcase):
        pairs = _properties_for(testcase, wanted)
        if pairs:
            _append_properties(testcase, pairs)
        return bool(pairs)

    return rewrite_testcases(junit_dir, add)


def rewrite_testcases(junit_dir, edit):
    """Apply ``edit(testcase) -> bool`` (True: it changed the testcase) to
    every testcase of every JUnit file in ``junit_dir``; return how many
    changed. A changed file is rewritten atomically, so a report is never
    left half-written."""
    updated = 0
    for path in report_files(junit_dir):
        tree = ElementTree.parse(path)
        changed = sum(1 for testcase in tree.getroot().iter("testcase") if edit(testcase))
        if changed:
            _write_atomically(tree, path)
            updated += changed
    return updated


def _as_pairs(properties):
    items = properties.items() if hasattr(properties, "items") else properties
    return [(str(name), str(value)) for name, value in items]


def _properties_for(testcase, wanted):
    name = testcase.get("name")
    qualified = (testcase.get("classname"), name)
    if qualified in wanted:
        return wanted[qualified]
    return wanted.get(name)


def _append_properties(testcase, pairs):
    # Properties go first, as pytest and JUnit 5 write them, and join an
    # existing <properties> element rather than adding a second one.
    container = testcase.find("properties")
    if container is None:
        container = ElementTree.Element("properties")
        testcase.insert(0, container)
    for name, value in pairs:
        ElementTree.SubElement(container, "property", name=name, value=value)


def _write_atomically(tree, path):
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".junit-", suffix=".xml", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            tree.write(stream, encoding="UTF-8", xml_declaration=True)
        shutil.copymode(path, temporary)   # mkstemp files are private (0600)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
