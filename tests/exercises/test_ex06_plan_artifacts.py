"""The planning checker: spec sections, a numbered tested plan ending in wiring, a todo."""

from __future__ import annotations

from functools import partial

import pytest

from codegen_hero.exercises import get
from codegen_hero.exercises.ex06_plan_artifacts import sections
from tests.exercises.harness import failed, judge_code, solution_source

SLUG = "06-plan-artifacts"
EXERCISE = get(SLUG)
run = partial(judge_code, EXERCISE)
reference = partial(solution_source, SLUG)


def answers(spec: str, plan: str, todo: str) -> str:
    return f"SPEC = {spec!r}\nPROMPT_PLAN = {plan!r}\nTODO = {todo!r}\n"


FILLER = "the tool reads the given files and counts every word in them with care and precision"
SPEC = "\n\n".join(
    f"## {title}\n{FILLER}."
    for title in ("Requirements", "Architecture", "Data handling", "Error handling", "Testing")
)
TITLES = ["Parse arguments", "Split words", "Count files", "Rank words", "Wire the CLI"]


def plan(bodies: list[str], titles: list[str] = TITLES, numbers: list[int] | None = None) -> str:
    numbers = numbers or list(range(1, len(bodies) + 1))
    return "\n\n".join(
        f"## Step {n}: {title}\n{body}"
        for n, title, body in zip(numbers, titles, bodies, strict=True)
    )


def todo(titles: list[str] = TITLES) -> str:
    return "\n".join(f"- [ ] Step {n}: {t.lower()}" for n, t in enumerate(titles, start=1))


BODIES = [
    "Build parse_args for the file list and the --top option; tests cover two files, a bad count.",
    "Write split_words that lower-cases the text and keeps apostrophes inside words; "
    "tests cover punctuation and mixed case.",
    "Count the words of many files into one Counter; tests write small files and add counts up.",
    "Rank the counts, most common first with ties alphabetical; tests cover ties and a short list.",
    "Wire everything together in main: parse, count, rank and print; end-to-end tests run main.",
]


def test_syntax_error_is_an_error() -> None:
    verdict = run('SPEC = """# spec\nPROMPT_PLAN = "x"\n')
    assert verdict.status == "error", str(verdict)


def test_a_small_hand_written_set_passes() -> None:
    verdict = run(answers(SPEC, plan(BODIES), todo()))
    assert verdict.status == "passed", str(verdict)


def test_a_plan_gamed_for_the_visible_checks_fails_hidden_ones() -> None:
    body = "Write the code for this step, then its tests, and wire it to what came before it."
    titles = ["Build it"] * 5
    verdict = run(
        answers(SPEC, plan([body] * 5, titles), "\n".join(f"- [ ] Step {n}" for n in range(1, 6)))
    )
    assert verdict.status == "failed"
    assert all(case.passed for case in verdict.cases if not case.hidden), str(verdict)
    names = failed(verdict)
    assert "PROMPT_PLAN steps are not copies of each other" in names
    assert "TODO items echo their step's title" in names


def test_documents_about_another_idea_fail_a_hidden_case() -> None:
    off_topic = SPEC.replace("files", "orders").replace("word", "price")
    bodies = [b.replace("file", "order").replace("word", "price") for b in BODIES]
    verdict = run(answers(off_topic, plan(bodies), todo()))
    assert failed(verdict) == ["SPEC and PROMPT_PLAN are about wordtally (words in files)"]


def test_numbering_gaps_and_too_few_steps_are_caught() -> None:
    verdict = run(answers(SPEC, plan(BODIES, numbers=[1, 2, 4, 5, 6]), todo()))
    assert "PROMPT_PLAN has 4 to 15 `## Step N` headings, numbered 1..N" in failed(verdict)
    verdict = run(answers(SPEC, plan(BODIES[-3:], TITLES[-3:]), todo(TITLES[-3:])))
    assert "PROMPT_PLAN has 4 to 15 `## Step N` headings, numbered 1..N" in failed(verdict)


def test_step_without_tests_or_too_long_is_caught() -> None:
    bodies = [*BODIES]
    bodies[1] = "Write split_words that lower-cases the text and keeps apostrophes inside words."
    bodies[2] = BODIES[2] + " More detail." * 130
    names = failed(run(answers(SPEC, plan(bodies), todo())))
    assert "PROMPT_PLAN: every step says what its tests check" in names
    assert "PROMPT_PLAN: every step is a small prompt (15 to 250 words)" in names


def test_checked_items_count_and_step_numbers_must_match_order() -> None:
    done = todo().replace("- [ ] Step 1", "- [x] Step 1")
    assert run(answers(SPEC, plan(BODIES), done)).status == "passed"
    lines = todo().splitlines()
    swapped = "\n".join([lines[1], lines[0], *lines[2:]])
    assert "TODO: item N names Step N, in the plan's order" in failed(
        run(answers(SPEC, plan(BODIES), swapped))
    )


def test_a_short_section_does_not_count() -> None:
    thin = SPEC.replace(f"## Error handling\n{FILLER}.", "## Error handling\nPrint an error.")
    names = failed(run(answers(thin, plan(BODIES), todo())))
    assert names == ["SPEC covers error handling (a heading with 15+ words under it)"]


@pytest.mark.parametrize("heading", ["Edge cases", "Failures and exit codes", "Exceptions"])
def test_synonym_headings_count(heading: str) -> None:
    spec = SPEC.replace("## Error handling", f"## {heading}")
    assert run(answers(spec, plan(BODIES), todo())).status == "passed"


def test_wrong_types_fail_without_crashing() -> None:
    verdict = run(f"SPEC = ['# spec']\nPROMPT_PLAN = {plan(BODIES)!r}\nTODO = 3\n")
    assert verdict.status == "failed"
    assert failed(verdict) == ["SPEC is a markdown string", "TODO is a markdown string"]


def test_sections_nest_and_ignore_code_fences() -> None:
    text = (
        "# Spec\nintro\n## Errors\nsome\n### Detail\nmore\n"
        "```python\n# not a heading\n```\n## Tests\nt\n"
    )
    found = [(s.level, s.title) for s in sections(text)]
    assert found == [(1, "Spec"), (2, "Errors"), (3, "Detail"), (2, "Tests")]
    errors = sections(text)[1]
    assert "more" in errors.body and "# not a heading" in errors.body and "t\n" not in errors.body
