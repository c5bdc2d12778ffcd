"""Check and enrich behave's JUnit XML output (``behave --junit``).

behave writes one ``TESTS-<feature>.xml`` file per feature, each with a
``<testsuite>`` root and one ``<testcase>`` per scenario (each Scenario
Outline row is a testcase of its own).
"""

import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

SCHEMA_PATH = Path(__file__).with_name("schema") / "junit.xsd"


class InvalidJUnitReport(ValueError):
    """A JUnit XML file does not match ``reports/schema/junit.xsd``."""

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(f"{self.path}: " + "; ".join(self.problems))


@lru_cache(maxsize=1)
def _schema():
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def problems(path):
    """Every schema violation of a JUnit XML file, as readable strings
    (empty when the file is valid)."""
    try:
        errors = list(_schema().iter_errors(str(path)))
    except ElementTree.ParseError as error:
        return [f"not well-formed XML: {error}"]
    return [f"{error.path or '/'}: {error.reason}" for error in errors]


def validate(path):
    """Raise :class:`InvalidJUnitReport` unless ``path`` is a valid JUnit
    XML report; return the path otherwise."""
    found = problems(path)
    if found:
        raise InvalidJUnitReport(path, found)
    return path


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

    Files are rewritten atomically and re-validated, so a report is never
    left half-written or invalid.
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
    changed. A changed file is rewritten atomically and re-validated, so a
    report is never left half-written or invalid."""
    updated = 0
    for path in report_files(junit_dir):
        tree = ElementTree.parse(path)
        changed = sum(1 for testcase in tree.getroot().iter("testcase") if edit(testcase))
        if changed:
            _write_atomically(tree, path)
            validate(path)
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
