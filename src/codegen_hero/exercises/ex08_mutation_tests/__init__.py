"""Stage 8, coding defensively: tests hard enough to catch a wrong change, measured by mutants."""

from __future__ import annotations

import ast
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from codegen_hero import pysyntax
from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import (
    Answer,
    Case,
    Exercise,
    beside,
    instructions_beside,
    register,
)
from codegen_hero.exercises.submission import NotAttempted, Submission, SubmissionError

SLUG = "08-mutation-tests"
REFERENCE = '''def discount(price: float, percent: float) -> float:
    """The price after a percentage discount, rounded to cents."""
    if price < 0:
        raise ValueError("price must not be negative")
    if percent < 0 or percent > 100:
        raise ValueError("percent must be between 0 and 100")
    reduced = price - price * percent / 100
    return round(reduced, 2)
'''
THRESHOLD = 0.8

COMPARE_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.Gt),
    ast.LtE: (ast.Lt, ast.GtE),
    ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt, ast.LtE),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
}
BINOP_SWAPS: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
}
BOOL_SWAPS: dict[type, type] = {ast.And: ast.Or, ast.Or: ast.And}

Mutation = tuple[int, Callable[[ast.AST], None], str]


def _site_mutations(index: int, node: ast.AST) -> list[Mutation]:
    """Every single change this mutation-testing checker makes at one AST node."""
    out: list[Mutation] = []
    line = getattr(node, "lineno", 0)
    copy: ast.expr  # the node as the mutant has it, to describe the change
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        for new in COMPARE_SWAPS.get(type(node.ops[0]), ()):

            def swap(n: ast.AST, new: type = new) -> None:
                n.ops = [new()]  # type: ignore[attr-defined]

            copy = ast.Compare(node.left, [new()], node.comparators)
            out.append(
                (index, swap, f"line {line}: `{ast.unparse(node)}` -> `{ast.unparse(copy)}`")
            )
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
        new = BINOP_SWAPS[type(node.op)]

        def binop(n: ast.AST, new: type = new) -> None:
            n.op = new()  # type: ignore[attr-defined]

        copy = ast.BinOp(node.left, new(), node.right)
        out.append((index, binop, f"line {line}: `{ast.unparse(node)}` -> `{ast.unparse(copy)}`"))
    elif isinstance(node, ast.BoolOp):
        new = BOOL_SWAPS[type(node.op)]

        def boolop(n: ast.AST, new: type = new) -> None:
            n.op = new()  # type: ignore[attr-defined]

        copy = ast.BoolOp(new(), node.values)
        out.append((index, boolop, f"line {line}: `{ast.unparse(node)}` -> `{ast.unparse(copy)}`"))
    elif isinstance(node, ast.If):

        def negate(n: ast.AST) -> None:
            n.test = ast.UnaryOp(ast.Not(), n.test)  # type: ignore[attr-defined]

        test = ast.unparse(node.test)
        out.append((index, negate, f"line {line}: `if {test}` -> `if not ({test})`"))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        for delta in (1, -1):

            def shift(n: ast.AST, delta: int = delta) -> None:
                n.value += delta  # type: ignore[attr-defined]

            out.append((index, shift, f"line {line}: `{node.value}` -> `{node.value + delta}`"))
    elif isinstance(node, ast.Return) and node.value is not None:

        def nothing(n: ast.AST) -> None:
            n.value = ast.Constant(None)  # type: ignore[attr-defined]

        out.append((index, nothing, f"line {line}: `{ast.unparse(node)}` -> `return None`"))
    return out


def mutants(source: str = REFERENCE) -> dict[str, str]:
    """Description -> source of each mutant, deterministically, one change per mutant."""
    sites: list[Mutation] = []
    for index, node in enumerate(ast.walk(pysyntax.parse(source))):
        sites += _site_mutations(index, node)
    sites.sort(key=lambda site: int(site[2].split(":")[0].removeprefix("line ")))  # stable
    out: dict[str, str] = {}
    for index, mutate, description in sites:
        tree = pysyntax.parse(source)
        mutate(list(ast.walk(tree))[index])
        out[description] = ast.unparse(ast.fix_missing_locations(tree))
    return out


# Runs in the sandbox: each version of `discount` is exec'd from its source into a fresh
# namespace, the learner's TESTS are exec'd beside it, and every test_* function is called.
SETUP = beside(__file__, "doubles.py")


def _kills(submission: Submission, source: str) -> bool:
    """Does some test fail on this version? Run alone, so the tests see no other version."""
    try:
        probe = submission.probe({"report": f"_report(TESTS, {source!r}, {{}})"}, setup=SETUP)
    except (NotAttempted, SubmissionError):
        return False
    report = probe.value("report") if probe.ok("report") else None
    return isinstance(report, dict) and bool(report.get("reference"))


def check(submission: Submission) -> list[Case]:
    muts = mutants()
    bugs: dict[str, str] = hidden_value(SLUG, "BUGS", {})
    call = f"_report(TESTS, {REFERENCE!r}, {muts!r})"
    probe = submission.probe({"text": "TESTS", "report": call}, setup=SETUP)
    text = probe.value("text")
    if probe.ok("text") and (text is None or (isinstance(text, str) and not text.strip())):
        raise NotAttempted("TESTS is still empty")
    if not probe.ok("text") or not isinstance(text, str):
        got = probe.error("text") if not probe.ok("text") else type(text).__name__
        return [Case("TESTS is a string of Python test functions", False, "a str", got)]
    if not probe.ok("report"):
        return [Case("your tests run", False, "test_* functions that run", probe.error("report"))]
    report: Any = probe.value("report")
    names, on_reference, killed = report["names"], report["reference"], report["killed"]
    cases = [Case("defines test_ functions", bool(names), "at least one test_*", str(names))]
    green = not on_reference and bool(names)
    first = next(iter(on_reference.items()), ("", ""))
    cases.append(
        Case(
            "your tests all pass on the reference discount",
            green,
            "every test passes on the correct function",
            f"{len(on_reference)} fail, e.g. {first[0]}: {first[1]}",
        )
    )
    dead = [d for d in muts if killed.get(d) is True]
    survivors = [d for d in muts if d not in dead]
    share = len(dead) / len(muts)
    passed = green and share >= THRESHOLD
    summary = f"{len(dead)}/{len(muts)} killed ({share:.0%})"
    if survivors:
        summary += "; survivors: " + "; ".join(survivors)
    # A passing line shows only its name: put the survivors there, so they are never hidden.
    shown = summary if passed else f"{len(dead)}/{len(muts)} killed"
    cases.append(
        Case(
            f"kills at least {THRESHOLD:.0%} of the mutants ({shown})",
            passed,
            f"at least {THRESHOLD:.0%} killed, with tests that pass on the reference",
            summary if green else "not counted: your tests fail on the reference",
        )
    )
    with ThreadPoolExecutor(max_workers=4) as pool:
        kills = list(pool.map(lambda source: green and _kills(submission, source), bugs.values()))
    for number, caught in enumerate(kills, start=1):
        cases.append(
            Case(
                f"catches hidden buggy version {number}",
                caught,
                "at least one test fails on the buggy version",
                "all your tests pass on it: test every rule" if green else "not counted",
                hidden=True,
            )
        )
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Tests that bite: kill the mutants",
        chapter="book/08-agentic",
        instructions=instructions_beside(
            __file__,
            REFERENCE=REFERENCE,
            THRESHOLD=f"{THRESHOLD:.0%}",
        ),
        answers=(Answer("TESTS", "text", STUB),),
        hints=(
            "A happy-path test (`discount(100, 10) == 90.0`) kills the arithmetic mutants but "
            "none that touch validation. Where does the behaviour change? At the boundaries.",
            "Test both sides of every boundary: price 0 (allowed) and a price just below 0 "
            "(raises); percent 0 and 100 (allowed) and just outside them, e.g. -0.5 and 100.5 "
            "(raise). Add one value where rounding to cents matters.",
            "For example: discount(0, 50) == 0; discount(80, 0) == 80; discount(80, 100) == 0; "
            "discount(19.99, 15) == 16.99; and `pytest.raises(ValueError)` around "
            "discount(-0.5, 10), discount(10, -0.5) and discount(10, 100.5).",
        ),
        check=check,
        wrong={
            "wrong-happy-path": "kills at least 80% of the mutants",
            "wrong-expected-value": "all pass on the reference",
        },
    )
)
