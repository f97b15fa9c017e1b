"""One lock around every parse: CPython 3.11's AST builder is not safe across threads."""

from __future__ import annotations

import ast
import gc
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codegen_hero import pysyntax

PACKAGE = Path(pysyntax.__file__).parent
SOURCE = (PACKAGE / "workshop" / "grade.py").read_text(encoding="utf-8") * 3


class _SlowFinalizer:
    """Garbage in a cycle whose finalizer lets another thread run mid-parse."""

    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        time.sleep(0.00001)


def _parse_under_garbage(_: int) -> list[str]:
    failures = []
    for _ in range(10):
        for _ in range(200):
            _SlowFinalizer()
        try:
            pysyntax.parse(SOURCE)
        except SystemError as exc:  # the CPython 3.11 race this module exists for
            failures.append(str(exc))
    return failures


def test_parsing_from_many_threads_while_finalizers_run_never_fails():
    gc.collect()
    with ThreadPoolExecutor(max_workers=8) as pool:
        failures = [f for batch in pool.map(_parse_under_garbage, range(8)) for f in batch]
    assert failures == []


def test_a_parse_gives_the_same_tree_as_ast_parse():
    assert ast.dump(pysyntax.parse("x = [1, 2]\n")) == ast.dump(ast.parse("x = [1, 2]\n"))


def test_bad_source_raises_the_syntax_error_ast_parse_raises():
    with pytest.raises(SyntaxError) as ours:
        pysyntax.parse("def (:\n")
    with pytest.raises(SyntaxError) as theirs:
        ast.parse("def (:\n")
    assert (ours.value.msg, ours.value.lineno) == (theirs.value.msg, theirs.value.lineno)


def test_no_module_of_the_package_parses_around_the_lock():
    bypass = [
        path.relative_to(PACKAGE).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "pysyntax.py" and "ast.parse(" in path.read_text(encoding="utf-8")
    ]
    assert bypass == []
