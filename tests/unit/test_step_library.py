"""The step library is its own manual: every step definition carries a
docstring, so `behave --steps-catalog` shows what each step does; the parse
types are registered in one place (features/environment.py)."""

from __future__ import annotations

import ast
from pathlib import Path

STEPS = Path(__file__).resolve().parents[2] / "features" / "steps"
DECORATORS = {"given", "when", "then", "step"}


def step_definitions():
    for path in sorted(STEPS.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", None) in DECORATORS
                    for d in node.decorator_list):
                yield path.name, node


def test_there_are_step_definitions_to_check():
    assert len(list(step_definitions())) >= 40


def test_every_step_definition_says_what_it_does():
    bare = [f"{name}:{node.lineno} {node.name}" for name, node in step_definitions()
            if not (ast.get_docstring(node) or "").strip()]
    assert bare == [], f"step definitions without a docstring: {bare}"


def test_the_parse_types_are_registered_once_not_per_step_module():
    registering = [path.name for path in STEPS.glob("*.py")
                   if "register_type(" in path.read_text() or "step_types.register()" in path.read_text()]
    assert registering == []
    assert "step_types.register()" in (STEPS.parent / "environment.py").read_text()
