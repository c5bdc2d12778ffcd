"""The JUnit schema the suite's reports must match (junit.xsd beside this
file), checked by the project's tests, never during a run: xmlschema is a
test dependency, not one of the suite's."""

from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

SCHEMA_PATH = Path(__file__).with_name("junit.xsd")


class InvalidJUnitReport(ValueError):
    """A JUnit XML file does not match junit.xsd."""

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
