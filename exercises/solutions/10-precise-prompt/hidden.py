"""Hidden checks of 10-precise-prompt: what a careful colleague notices on a second read."""

from codegen_hero.exercises.ex10_precise_prompt import ERROR_WORDS, _short, _words
from codegen_hero.exercises.framework import Case


def cases(pairs: list[tuple[str, str]], bullets: list[str]) -> list[Case]:
    inputs = [given for given, _ in pairs]
    repeated = sorted({given for given in inputs if inputs.count(given) > 1})
    normal = [" ".join(b.lower().rstrip(".;").split()) for b in bullets]
    duplicates = sorted({b for b in normal if normal.count(b) > 1})
    return [
        Case(
            "examples: every input appears once (no repeated or contradicting examples)",
            not repeated,
            "distinct example inputs",
            f"repeated: {_short(repeated)}",
            hidden=True,
        ),
        Case(
            "acceptance criteria: no two are the same",
            not duplicates,
            "distinct criteria",
            f"repeated: {_short(duplicates)}",
            hidden=True,
        ),
        Case(
            "acceptance criteria: one of them checks the error case",
            any(_words(ERROR_WORDS, b) for b in bullets),
            "a criterion about invalid input (raise, error, None)",
            "none does",
            hidden=True,
        ),
    ]
