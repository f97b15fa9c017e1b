"""Hidden cases of 01-failure-diary: other texts, other test names, the statuses not shown."""

from codegen_hero.exercises.ex01_failure_diary import Entry
from codegen_hero.exercises.ex01_failure_diary import diary_result as result

ENTRIES: list[Entry] = [
    (
        "seven tests passed on a different task -> works",
        "```python\nclass Stack:\n    def __init__(self):\n        self.items = []\n```",
        result("ok", tuple(f"test_stack_{i}" for i in range(7))),
        "works",
        True,
    ),
    (
        "one of seven tests failed -> wrong-logic",
        "```python\ndef is_leap(year):\n    return year % 4 == 0\n```",
        result(
            "fail",
            tuple(f"test_year_{i}" for i in range(6)),
            ("test_year_1900",),
            "1 of 7 tests failed: test_year_1900 (AssertionError: assert True is False)",
        ),
        "wrong-logic",
        True,
    ),
    (
        "killed at the memory limit -> does-not-run",
        "```python\ndef grow():\n    return [0] * 10**12\n```",
        result("killed", reason="memory limit (512 MB) exceeded"),
        "does-not-run",
        True,
    ),
    (
        "a NameError at import -> does-not-run",
        "```python\nresult = helper(3)\n```",
        result(
            "error",
            reason="the solution failed while being imported: NameError: "
            "name 'helper' is not defined",
        ),
        "does-not-run",
        True,
    ),
    (
        "pseudo-code in prose that mentions functions -> no-code",
        "First define a function that takes the list; then loop over it, keeping a running "
        "maximum, and finally return that maximum to the caller.",
        None,
        "no-code",
        True,
    ),
    (
        "cut off at max_tokens inside an endless loop -> cut-off",
        "```python\ndef serve():\n    while True:\n        handle(",
        result("timeout", reason="wall-clock timeout after 10 s", finish="length"),
        "cut-off",
        True,
    ),
    (
        "cut off at max_tokens, killed -> cut-off",
        "```python\ndata = [0] * 10**12\nfor item in da",
        result("killed", reason="memory limit (512 MB) exceeded", finish="length"),
        "cut-off",
        True,
    ),
]
