"""Your turn: a pick is recorded before the reveal, by a click or by a parameter, and a
prediction is written down before it is checked."""

from __future__ import annotations

import pytest

from codegen_hero.compare import Comparison, Row
from codegen_hero.compare.views_widget import find_widgets
from codegen_hero.models.errors import HeroError
from codegen_hero.models.request import Completion, Request, Usage
from codegen_hero.toolkit.yourturn import (
    CLICK,
    PARAMETER,
    UNATTENDED,
    anonymise,
    choose,
    interactive_frontend,
    letters,
    predict,
    run_tests_later,
)


class Reveals:
    """A reveal that notes each call and what the choice had recorded at that moment."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.choice = None

    def __call__(self, pick: str) -> str:
        recorded = self.choice.pick if self.choice is not None else None
        self.calls.append((pick, recorded))
        return f"evidence for {pick}"


def test_letters_and_anonymise_are_stable_and_shuffled() -> None:
    assert letters(3) == ["A", "B", "C"]
    items = [f"answer {k}" for k in range(8)]
    first, again = anonymise(items, seed=3), anonymise(items, seed=3)
    assert first == again
    assert list(first) == letters(8) and sorted(first.values()) == sorted(items)
    assert list(first.values()) != items  # not simply in the original order
    with pytest.raises(HeroError, match="between 1 and 26"):
        letters(27)


def test_widget_path_reveals_only_after_the_click() -> None:
    pytest.importorskip("ipywidgets")
    reveal = Reveals()
    choice = choose(["A", "B", "C"], reveal, interactive=True)
    reveal.choice = choice
    assert reveal.calls == [] and choice.pick is None  # nothing revealed before a click
    assert choice.log == ["waiting for a click"]
    buttons = find_widgets(choice.widget, "hero-choice-button")
    assert [b.description for b in buttons] == ["A", "B", "C"]

    buttons[1].click()  # what a click in JupyterLab does
    assert choice.pick == "B" and choice.source == CLICK
    assert reveal.calls == [("B", "B")]  # the pick was already recorded when reveal ran
    assert choice.result == "evidence for B"
    assert choice.log == ["waiting for a click", "picked B (click)", "revealed"]
    assert all(b.disabled for b in buttons) and buttons[1].button_style == "success"

    buttons[0].click()  # a second click changes nothing
    assert choice.pick == "B" and len(reveal.calls) == 1
    with pytest.raises(HeroError, match="already recorded"):
        choice.record("A", CLICK)


def test_unattended_run_picks_the_first_option_and_reveals_at_once() -> None:
    reveal = Reveals()
    choice = choose(["A", "B"], reveal, interactive=False)
    assert choice.widget is None
    assert (choice.pick, choice.source) == ("A", UNATTENDED)
    assert reveal.calls == [("A", None)]
    assert choice.log == [f"picked A ({UNATTENDED})", "revealed"]


@pytest.mark.parametrize("interactive", [True, False])
def test_a_parameter_is_the_pick_in_both_paths(interactive: bool) -> None:
    reveal = Reveals()
    choice = choose(["A", "B", "C"], reveal, pick=" c", interactive=interactive)
    assert (choice.pick, choice.source, choice.widget) == ("C", PARAMETER, None)
    assert reveal.calls == [("C", None)] and choice.result == "evidence for C"


def test_a_pick_that_is_not_offered_fails_before_anything_is_revealed() -> None:
    reveal = Reveals()
    with pytest.raises(HeroError, match="'Z' is not one of the choices: 'A', 'B'"):
        choose(["A", "B"], reveal, pick="Z", interactive=False)
    assert reveal.calls == []
    with pytest.raises(HeroError, match="nothing to choose from"):
        choose([], reveal, interactive=False)


def test_interactive_frontend_follows_the_jupyter_server_and_the_override(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HERO_INTERACTIVE", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert interactive_frontend() is False  # nbclient: papermill, nbval, the book build
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/notebooks/04-copy-paste.ipynb")
    assert interactive_frontend() is True  # a kernel started by JupyterLab
    monkeypatch.setenv("HERO_INTERACTIVE", "0")
    assert interactive_frontend() is False
    monkeypatch.delenv("JPY_SESSION_NAME")
    monkeypatch.setenv("HERO_INTERACTIVE", "1")
    assert interactive_frontend() is True


def test_prediction_is_written_down_then_checked() -> None:
    guess = predict("Will the edit apply?", "Applied", choices=["applied", "refused"])
    assert guess.guess == "applied" and guess.right is None
    assert "not checked yet" in str(guess)
    assert guess.check("refused").right is False
    assert "it was:        'refused'" in str(guess) and "not this time" in str(guess)
    assert guess.check("applied").right is True and str(guess).endswith("-> right")
    counted = predict("How many tests pass?", 3)
    assert counted.check(3).right is True and counted.check(2).right is False


def test_a_prediction_outside_the_choices_is_refused_in_one_line() -> None:
    with pytest.raises(HeroError, match="'maybe' is not one of the choices"):
        predict("Will the gate accept it?", "maybe", choices=["accepted", "rejected"])


def _answer(model: str, sample: int, code: str | None) -> Row:
    text = f"```python\n{code}```" if code else "I would use a loop."
    return Row(model, sample, Completion(text, model, Usage(5, 9), 0.2, None), code)


def test_run_tests_later_runs_each_answer_in_the_sandbox() -> None:
    rows = [
        _answer("m/a", 0, "def double(x):\n    return 2 * x\n"),
        _answer("m/a", 1, "def double(x):\n    return x + 1\n"),
        _answer("m/b", 0, None),
        Row("m/c", 0, error="network unreachable"),
    ]
    untested = Comparison(Request.of("Write double(x)."), rows)
    tested = run_tests_later(untested, "def test_double():\n    assert double(3) == 6\n")
    assert untested.tests is None and all(row.test is None for row in untested.rows)
    assert tested.tests is not None
    assert [row.passed for row in tested.rows] == [True, False, False, None]
    assert tested.rows[2].test.reason == "no code found in the answer"
    assert tested.summary_frame().loc["m/a", "passed"] == 1
