"""Structure checks for spec.md, prompt_plan.md and todo.md."""

from __future__ import annotations

from codegen_hero.toolkit.plans import (
    as_row,
    check_artifacts,
    extract_markdown,
    plan_checks,
    plan_steps,
    sections,
    spec_checks,
    todo_checks,
    todo_items,
)

SPEC = """# tally

## Requirements
- `tally FILE.csv` prints one line per month and category with the total spent.

## Architecture
- parse.py reads rows, report.py sums them, cli.py prints; no arithmetic in the CLI.

## Data handling
- Amounts are Decimal, never float; categories compare case-insensitively.

## Error handling
- A malformed row is skipped and reported on stderr with its line number; exit code 1.

## Testing plan
- Unit tests for parse and report, and one end-to-end test of the CLI on a fixture.
"""
PLAN = """# Prompt plan

## Step 1: Parse rows
Write parse_rows(lines) returning entries. Tests: a valid row, a malformed row.

## Step 2: Monthly totals
Write monthly_totals(entries). Tests: two months, two categories.

## Step 3: Wire the CLI
Wire parse_rows and monthly_totals into cli.py; an end-to-end test runs it on a fixture.
"""
TODO = "- [x] Step 1: Parse rows\n- [ ] Step 2: Monthly totals\n- [ ] Step 3: Wire the CLI\n"


def test_a_good_set_passes_everything():
    checks = check_artifacts(SPEC, PLAN, TODO)
    assert [c.name for c in checks if not c.passed] == []
    assert len(checks) == 5 + 4 + 3
    row = as_row(checks)
    assert row["spec: has error handling"] is True and row["todo: one item per step"] is True


def test_sections_ignore_headings_inside_code():
    text = "## Real\ntext\n```python\n# not a heading\n```\n## Next\n"
    assert [s.title for s in sections(text)] == ["Real", "Next"]
    assert "# not a heading" in sections(text)[0].body


def test_spec_missing_a_section_or_using_plain_labels():
    spec = SPEC.replace("## Error handling", "Error handling:")
    checks = {c.name: c for c in spec_checks(spec)}
    assert not checks["has error handling"].passed
    assert "plain line" in checks["has error handling"].detail
    assert checks["has requirements"].passed
    empty = {c.name: c for c in spec_checks("## Requirements\n\n## Architecture\ntoo short\n")}
    assert not empty["has requirements"].passed
    assert not empty["has testing plan"].passed


def test_plan_steps_from_headings_or_a_numbered_list():
    assert [(s.number, s.title) for s in plan_steps(PLAN)] == [
        (1, "Parse rows"),
        (2, "Monthly totals"),
        (3, "Wire the CLI"),
    ]
    listed = "Plan:\n1. Parse rows, with tests\n2. **Totals** with tests\n3) Connect the CLI\n"
    assert [(s.number, s.title) for s in plan_steps(listed)] == [
        (1, "Parse rows, with tests"),
        (2, "Totals** with tests"),
        (3, "Connect the CLI"),
    ]


def test_plan_checks_catch_gaps_missing_tests_and_no_wiring():
    plan = PLAN.replace("Step 3: Wire the CLI", "Step 4: Polish").replace("Wire parse_rows", "Use")
    plan = plan.replace("Tests: two months, two categories.", "Sum them up.")
    checks = {c.name: c for c in plan_checks(plan)}
    assert not checks["steps numbered 1..N"].passed
    assert checks["steps numbered 1..N"].detail == "numbers [1, 2, 4]"
    assert not checks["every step has a test"].passed
    assert not checks["last step wires it together"].passed
    assert not plan_checks("just prose")[0].passed


def test_todo_must_mirror_the_plan():
    assert todo_items(TODO) == [
        (True, "Step 1: Parse rows"),
        (False, "Step 2: Monthly totals"),
        (
            False,
            "Step 3: Wire the CLI",
        ),
    ]
    short = {c.name: c.passed for c in todo_checks("- [ ] Step 1: Parse rows\n", PLAN)}
    assert short == {
        "is a checklist": True,
        "one item per step": False,
        "items follow the steps": False,
    }
    shuffled = "- [ ] Monthly totals\n- [ ] Parse rows\n- [ ] Wire the CLI\n"
    assert {c.name: c.passed for c in todo_checks(shuffled, PLAN)}[
        "items follow the steps"
    ] is False
    none = {c.name: c.passed for c in todo_checks("Step 1, Step 2", PLAN)}
    assert none["is a checklist"] is False


def test_extract_markdown_unwraps_a_fenced_answer():
    assert extract_markdown("```markdown\n## A\ntext\n```\n") == "## A\ntext\n"
    assert extract_markdown("## A\ntext") == "## A\ntext\n"
    assert extract_markdown("```python\nx = 1\n```").startswith("```python")
