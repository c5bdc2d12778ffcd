"""Turn what behave stored about a failed step or hook into report text.

A *failure* is an AssertionError: the system under test did not do what
the scenario expects, and the assertion text (e.g. PyHamcrest's
"Expected: ... but: was ...") is all a reader needs. An *error* is any
other exception: the test itself broke, and the traceback is worth
keeping (collapsed) next to the one-line message.
"""

import traceback
from dataclasses import dataclass
from typing import Optional

from behave.model_type import Status

from reports.html_kit import escape

_ASSERT_PREFIX = "ASSERT FAILED: "


@dataclass(frozen=True)
class Problem:
    kind: str                 # "failure" or "error"
    message: str
    traceback: Optional[str] = None


def problem_of(statement):
    """The Problem of a step/scenario/feature, or None if it has none."""
    exception = getattr(statement, "exception", None)
    error_message = getattr(statement, "error_message", None) or ""
    status = getattr(statement, "status", None)
    if exception is None and not error_message:
        if status in (Status.undefined, Status.untested_undefined):
            return Problem("error", "Undefined step: no step implementation matches it.")
        return None

    # An assertion raised inside a hook is still a broken hook, not a
    # product failure: behave reports it as hook_error.
    broken_hook = getattr(statement, "hook_failed", False)
    if not broken_hook and (isinstance(exception, AssertionError) or (
            exception is None and status is Status.failed)):
        return Problem("failure", _assertion_text(exception, error_message))

    return Problem("error", _error_headline(exception, error_message),
                   _traceback_text(statement, exception, error_message))


def _assertion_text(exception, error_message):
    if exception is not None:
        # Hamcrest messages start with a newline and align "but:" under
        # "Expected:", so only strip blank lines, not indentation.
        text = str(exception).strip("\n")
        return text or type(exception).__name__
    # No exception kept: fall back to behave's text minus any traceback
    # that --verbose mode appends.
    text = error_message.split("\nTraceback (most recent call last)", 1)[0]
    if text.startswith(_ASSERT_PREFIX):
        text = text[len(_ASSERT_PREFIX):]
    return text.strip("\n")


def _error_headline(exception, error_message):
    if exception is None:
        return error_message.strip().splitlines()[-1]
    detail = str(exception).strip()
    name = type(exception).__name__
    return f"{name}: {detail}" if detail else name


def _traceback_text(statement, exception, error_message):
    exc_traceback = getattr(statement, "exc_traceback", None)
    if exception is not None and exc_traceback is not None:
        lines = traceback.format_exception(type(exception), exception, exc_traceback)
        return "".join(lines).rstrip()
    # behave stores traceback.format_exc() as the step's error_message.
    return error_message.rstrip() or None


def render_problem(problem):
    if problem is None:
        return ""
    if problem.kind == "failure":
        return f'<pre class="failure">{escape(problem.message)}</pre>'
    details = ""
    if problem.traceback:
        details = (
            "<details><summary>traceback</summary>"
            f'<pre class="traceback">{escape(problem.traceback)}</pre></details>'
        )
    return f'<pre class="error">{escape(problem.message)}</pre>{details}'
