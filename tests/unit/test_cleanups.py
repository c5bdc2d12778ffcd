import pytest

from acceptance.cleanups import CleanupError, CleanupStack


def test_cleanups_run_newest_first():
    ran = []
    stack = CleanupStack()
    for name in ("flavor", "server", "service"):
        stack.push(f"undo {name}", lambda name=name: ran.append(name))
    assert stack.run_all() == []
    assert ran == ["service", "server", "flavor"]


def test_every_cleanup_runs_even_when_some_fail_and_failures_are_reported():
    ran, reported = [], []
    stack = CleanupStack(report=reported.append)

    def boom():
        raise RuntimeError("nova said no")

    stack.push("delete server a", lambda: ran.append("a"))
    stack.push("restore compute1", boom)
    stack.push("delete server b", lambda: ran.append("b"))
    failures = stack.run_all()
    assert ran == ["b", "a"]
    assert [str(f) for f in failures] == ["restore compute1: RuntimeError: nova said no"]
    assert reported == ["cleanup failed: restore compute1: RuntimeError: nova said no"]
    assert "nova said no" in failures[0].traceback


def test_the_stack_is_empty_after_running_so_nothing_runs_twice():
    ran = []
    stack = CleanupStack()
    stack.push("x", lambda: ran.append("x"))
    stack.run_all()
    stack.run_all()
    assert ran == ["x"] and len(stack) == 0


def test_a_cleanup_may_push_another_cleanup_and_it_runs_too():
    ran = []
    stack = CleanupStack()
    stack.push("outer", lambda: stack.push("inner", lambda: ran.append("inner")))
    stack.run_all()
    assert ran == ["inner"]


def test_run_all_or_raise_names_every_failure_in_one_assertion():
    stack = CleanupStack()
    stack.push("one", lambda: 1 / 0)
    stack.push("two", lambda: {}["key"])
    with pytest.raises(CleanupError) as error:
        stack.run_all_or_raise()
    assert isinstance(error.value, AssertionError)
    assert str(error.value) == (
        "2 cleanups failed; the cloud may not be as the suite found it:\n"
        "  - two: KeyError: 'key'\n"
        "  - one: ZeroDivisionError: division by zero"
    )
