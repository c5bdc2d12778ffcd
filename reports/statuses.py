"""Map behave's many Status values onto the few a reader cares about."""

from behave.model_type import Status

#: Order in which the summary lists scenario counts.
SCENARIO_BUCKETS = ("passed", "failed", "error", "skipped", "untested")

_ERRORS = {Status.error, Status.hook_error, Status.cleanup_error}
_UNDEFINED = {Status.undefined, Status.pending, Status.untested_undefined,
              Status.untested_pending}
_PASSED = {Status.passed, Status.pending_warn, Status.xfailed, Status.xpassed}


def bucket(status):
    """The colour/count bucket of a behave Status.

    Failures (an AssertionError: the system under test misbehaved) and
    errors (any other exception: the test itself broke) are kept apart,
    like behave's JUnit reporter does.
    """
    if status in _PASSED:
        return "passed"
    if status is Status.failed:
        return "failed"
    if status in _ERRORS:
        return "error"
    if status in _UNDEFINED:
        return "undefined"
    if status is Status.skipped:
        return "skipped"
    return "untested"


def scenario_bucket(status):
    """Like :func:`bucket`, but a scenario is never 'undefined': behave
    already turns an undefined step into a scenario error."""
    found = bucket(status)
    return "error" if found == "undefined" else found
