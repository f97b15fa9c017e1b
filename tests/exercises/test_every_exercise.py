"""Every checker, proven both ways: the reference passes (with hidden cases), each known-wrong
solution fails on the case named for its mistake, and the shipped stubs are "not attempted"."""

from __future__ import annotations

import pytest

from codegen_hero.exercises import all_exercises, check, get
from codegen_hero.exercises.framework import PLACEHOLDER
from tests.exercises.harness import failed, judge_code

SLUGS = sorted(all_exercises())
VARIANTS = [(slug, variant) for slug in SLUGS for variant in sorted(get(slug).wrong)]


@pytest.mark.parametrize("slug", SLUGS)
def test_reference_passes_with_hidden_cases(slug: str) -> None:
    verdict = check(slug, solution="reference")
    assert verdict.status == "passed", str(verdict)
    assert any(case.hidden for case in verdict.cases)


@pytest.mark.parametrize(("slug", "variant"), VARIANTS)
def test_wrong_variant_fails_on_its_case(slug: str, variant: str) -> None:
    phrase = get(slug).wrong[variant]
    verdict = check(slug, solution=variant)
    assert verdict.status == "failed", str(verdict)
    assert phrase in str(verdict)
    assert any(phrase in name for name in failed(verdict)), str(verdict)


@pytest.mark.parametrize("slug", SLUGS)
def test_stub_is_not_attempted(slug: str) -> None:
    exercise = get(slug)
    verdict = judge_code(exercise, "\n\n".join(a.stub for a in exercise.answers))
    assert verdict.status == "not attempted", str(verdict)


def test_every_exercise_has_at_least_two_known_wrong_solutions() -> None:
    assert all(len(get(slug).wrong) >= 2 for slug in SLUGS)


def test_every_exercise_is_a_small_package_of_real_files() -> None:
    """Checker in __init__.py; the stub, test doubles and text beside it as files of their own."""
    import importlib
    from pathlib import Path

    for slug in SLUGS:
        exercise = get(slug)
        module = importlib.import_module(exercise.check.__module__)
        folder = Path(module.__file__).parent
        assert module.__file__.endswith("__init__.py") and folder.name.startswith("ex"), slug
        if (folder / "stub.py").is_file():
            assert (folder / "stub.py").read_text() == exercise.answers[0].stub
        if hasattr(module, "SETUP"):
            assert (folder / "doubles.py").read_text() == module.SETUP
        assert (folder / "instructions.md").is_file(), f"{slug}: its text is not a file"
        template = (folder / "instructions.md").read_text()
        filled = set(PLACEHOLDER.findall(template))
        assert not PLACEHOLDER.search(exercise.instructions), slug
        if not filled:
            assert template == exercise.instructions, slug
