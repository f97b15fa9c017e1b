"""Your turn: a learner's pick or prediction, recorded before the evidence is shown.

Two habits the labs teach depend on order: commit to a guess, then look. A notebook run from
top to bottom would show the evidence first, so these helpers keep the order:

- `predict` records a prediction in a variable; `Prediction.check` compares it with what
  happened, later, in plain code.
- `choose` offers options (anonymised answers, say) as buttons in JupyterLab and reveals the
  evidence only after a click. Run unattended (papermill, nbval, the book build) nobody can
  click, so a parameter's value, or the first option, is the pick and the same reveal runs at
  once. Either way the pick is recorded before `reveal` is called.

    answers = anonymise(comparison.rows)                 # {"A": row, "B": row, ...}
    choice = choose(list(answers), reveal, pick=vibes_pick)
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from codegen_hero import settings
from codegen_hero.models.errors import HeroError
from codegen_hero.sandbox import SandboxResult, run_code

if TYPE_CHECKING:
    from codegen_hero.compare import Comparison

T = TypeVar("T")
CLICK, PARAMETER, UNATTENDED = "click", "parameter", "unattended run, nobody to click"


class YourTurnError(HeroError, ValueError):
    """A pick or a prediction that is not one of the choices offered."""


interactive_frontend = settings.interactive_frontend


def letters(count: int) -> list[str]:
    """Letters "A", "B", ... for `count` options (at most 26, a row of buttons)."""
    if not 0 < count <= len(string.ascii_uppercase):
        raise YourTurnError(f"between 1 and 26 options can be offered, not {count}")
    return list(string.ascii_uppercase[:count])


def anonymise(items: Sequence[T], seed: int = 0) -> dict[str, T]:
    """The items under letters in a shuffled order, the same for the same seed.

    Shuffled so that "A" is not always the first model: a letter must not give the model away.
    """
    order = list(items)
    random.Random(seed).shuffle(order)
    return dict(zip(letters(len(order)), order, strict=True))


def _match(value: Any, choices: Sequence[Any]) -> Any:
    """The choice equal to `value` (text compared without case or surrounding blanks)."""
    for choice in choices:
        if choice == value:
            return choice
        both_text = isinstance(value, str) and isinstance(choice, str)
        if both_text and value.strip().lower() == choice.strip().lower():
            return choice
    offered = ", ".join(repr(choice) for choice in choices)
    raise YourTurnError(f"{value!r} is not one of the choices: {offered}")


@dataclass
class Choice:
    """A pick among `options`, recorded once, then revealed. `log` keeps the order of events."""

    options: list[str]
    reveal: Callable[[str], Any]
    pick: str | None = None
    source: str = ""
    result: Any = None  # what `reveal` returned, e.g. the evidence it computed
    log: list[str] = field(default_factory=list)
    widget: Any = None  # the buttons and the output area, in an interactive kernel

    def record(self, option: str, source: str) -> Any:
        """Record the pick (once), then reveal. Returns what `reveal` returned."""
        if self.pick is not None:
            raise YourTurnError(f"the pick is already recorded ({self.pick}); it cannot change")
        self.pick, self.source = _match(option, self.options), source
        self.log.append(f"picked {self.pick} ({source})")
        self.result = self.reveal(self.pick)
        self.log.append("revealed")
        return self.result


def _buttons(choice: Choice, prompt: str) -> Any:
    """A row of buttons, one per option; a click records the pick and reveals below them."""
    import ipywidgets as widgets

    out = widgets.Output()
    out.add_class("hero-choice-out")
    buttons = [widgets.Button(description=option, layout=widgets.Layout(width="3.5em"))
               for option in choice.options]  # fmt: skip

    def clicked(button: Any) -> None:
        if choice.pick is not None:
            return
        for other in buttons:
            other.disabled = True
        button.button_style = "success"
        with out:
            choice.record(button.description, CLICK)

    for button in buttons:
        button.add_class("hero-choice-button")
        button.on_click(clicked)
    row = widgets.HBox([widgets.Label(prompt), *buttons])
    box = widgets.VBox([row, out])
    box.add_class("hero-choice")
    return box


def choose(
    options: Sequence[str],
    reveal: Callable[[str], Any],
    *,
    pick: str | None = None,
    interactive: bool | None = None,
    prompt: str = "Your pick:",
) -> Choice:
    """Record a pick among `options`, then call `reveal(pick)`, never the other way round.

    With `pick` set (a notebook parameter) it is the pick, recorded and revealed at once. Else,
    in an interactive kernel (`interactive_frontend()` when `interactive` is None), buttons are
    displayed and a click records and reveals; unattended, the first option is the pick.
    """
    choice = Choice(list(options), reveal)
    if not choice.options:
        raise YourTurnError("there is nothing to choose from")
    if pick is not None:
        _match(pick, choice.options)  # a bad parameter fails before anything is shown
        choice.record(pick, PARAMETER)
        return choice
    if interactive if interactive is not None else interactive_frontend():
        from IPython.display import display

        choice.widget = _buttons(choice, prompt)
        choice.log.append("waiting for a click")
        display(choice.widget)
        return choice
    choice.record(choice.options[0], UNATTENDED)
    return choice


_UNCHECKED = object()


@dataclass
class Prediction:
    """A guess written down before the run; `check` compares it with what happened."""

    question: str
    guess: Any
    choices: tuple[Any, ...] = ()
    actual: Any = _UNCHECKED

    @property
    def checked(self) -> bool:
        return self.actual is not _UNCHECKED

    @property
    def right(self) -> bool | None:
        """None until checked; then whether the guess matched what happened."""
        if not self.checked:
            return None
        if isinstance(self.guess, str) and isinstance(self.actual, str):
            return self.guess.strip().lower() == self.actual.strip().lower()
        return bool(self.guess == self.actual)

    def check(self, actual: Any) -> Prediction:
        """Record what happened (once per run of the cell) and return self, to print."""
        self.actual = actual
        return self

    def __str__(self) -> str:
        said = f"{self.question}\n  you predicted: {self.guess!r}"
        if not self.checked:
            return said + "\n  (not checked yet: run the cells below)"
        verdict = "right" if self.right else "not this time: the run above shows why"
        return f"{said}\n  it was:        {self.actual!r}\n  -> {verdict}"


def predict(question: str, guess: Any, choices: Sequence[Any] = ()) -> Prediction:
    """Write a prediction down before the run. With `choices`, the guess must be one of them
    (matched without case for text), so a typo fails now rather than never matching later."""
    if choices:
        guess = _match(guess, list(choices))
    return Prediction(question, guess, tuple(choices))


def run_tests_later(comparison: Comparison, tests: str, timeout: float = 10.0) -> Comparison:
    """A copy of a comparison asked without tests, with its code now run against `tests`.

    For a reveal: the answers are shown first, and the tests run (in the sandbox) only after
    the pick. An answer without code counts as a failed attempt, as in `compare`.
    """
    rows = []
    for row in comparison.rows:
        test = None
        if row.completion is not None:
            if row.code:
                test = run_code(row.code, tests=tests, language=comparison.language,
                                timeout=timeout)  # fmt: skip
            else:
                test = SandboxResult(status="error", language=comparison.language,
                                     reason="no code found in the answer")  # fmt: skip
        rows.append(replace(row, test=test))
    return replace(comparison, rows=rows, tests=tests)
