"""Stage 5, the AI IDE: apply a model's search/replace edits safely, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import Answer, Case, Exercise, beside, register
from codegen_hero.exercises.submission import Submission

SLUG = "05-apply-edits"
# Calls apply_edits on a copy, so the checker sees whether the input was touched, and turns
# every outcome into plain data. Anything but ValueError propagates: it is a failure to report.
SETUP = beside(__file__, "doubles.py")


def block(path: str, search: str, replace: str) -> str:
    """One search/replace block; search and replace are whole lines ending in newlines."""
    return f"{path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


TALLY = """import re
from collections import Counter

WORD = re.compile(r"[a-z]+")


def tally(text):
    counts = Counter(WORD.findall(text))
    return counts


def merge(first, second):
    counts = first + second
    return counts


def top(counts, n):
    return counts.most_common(n)
"""
CLI = """import sys

from tally import tally, top


def main():
    text = open(sys.argv[1]).read()
    for word, count in top(tally(text), 10):
        print(word, count)
"""
FILES = {"tally.py": TALLY, "cli.py": CLI}

MULTI = (
    "Count apostrophes too, lower-case the text, and let the CLI take a count.\n\n"
    + block("tally.py", 'WORD = re.compile(r"[a-z]+")\n', 'WORD = re.compile(r"[a-z\']+")\n')
    + "\n"
    + block(
        "tally.py",
        "    counts = Counter(WORD.findall(text))\n",
        "    counts = Counter(WORD.findall(text.lower()))\n",
    )
    + "\n"
    + block(
        "cli.py",
        "    for word, count in top(tally(text), 10):\n",
        "    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10\n"
        "    for word, count in top(tally(text), n):\n",
    )
)
MISSING = block("cli.py", "    text = sys.stdin.read()\n", "    text = open(0).read()\n")
AMBIGUOUS = block("tally.py", "    return counts\n", "    return +counts  # drop zero counts\n")
SECOND_FAILS = block("tally.py", "def top(counts, n):\n", "def top(counts, n=10):\n") + block(
    "cli.py", "def main(argv):\n", "def main(argv=None):\n"
)
NO_SUCH_FILE = block("tally_utils.py", "def helper():\n", "def helper(x):\n")
TEST_FILE = "from tally import tally\n\n\ndef test_counts():\n    assert tally('a b a')['a'] == 2\n"
CREATE = block("test_tally.py", "", TEST_FILE)


@dataclass(frozen=True)
class Scenario:
    name: str
    files: dict[str, str]
    edits: str
    expected: dict[str, str] | None = None  # the result, or None when it must be refused
    names: str = ""  # the file a refusal must name
    hidden: bool = False


VISIBLE = (
    Scenario(
        "a clean three-block edit of two files",
        FILES,
        MULTI,
        {
            "tally.py": TALLY.replace('r"[a-z]+"', 'r"[a-z\']+"').replace(
                "(text))", "(text.lower()))"
            ),
            "cli.py": CLI.replace(
                "    for word",
                "    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10\n    for word",
            ).replace("tally(text), 10)", "tally(text), n)"),
        },
    ),
    Scenario("a SEARCH text that is not in the file is refused", FILES, MISSING, names="cli.py"),
    Scenario("an ambiguous SEARCH (found twice) is refused", FILES, AMBIGUOUS, names="tally.py"),
    Scenario(
        "a failing second block leaves everything untouched (no half edits)",
        FILES,
        SECOND_FAILS,
        names="cli.py",
    ),
    Scenario(
        "a block for a file that does not exist is refused",
        FILES,
        NO_SUCH_FILE,
        names="tally_utils.py",
    ),
    Scenario(
        "an empty SEARCH creates a new file", FILES, CREATE, {**FILES, "test_tally.py": TEST_FILE}
    ),
)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _judge(s: Scenario, got: Any) -> Case:
    """One case per scenario: the result (or the refusal) and an untouched input."""
    if not isinstance(got, dict) or "input_unchanged" not in got:
        return Case(s.name, False, "a dict or a ValueError", _short(got), s.hidden)
    if "bad_type" in got:
        return Case(s.name, False, "a new dict of path -> text", got["bad_type"], s.hidden)
    untouched = got["input_unchanged"] is True
    if s.expected is None:
        if "ok" in got:
            return Case(
                s.name, False, "ValueError", f"no error; returned {_short(got['ok'])}", s.hidden
            )
        message = str(got["error"])
        if not untouched:
            return Case(
                s.name,
                False,
                "the input dict untouched",
                "the input was edited before the error",
                s.hidden,
            )
        return Case(
            s.name,
            s.names in message,
            f"a ValueError naming {s.names}",
            f"ValueError({_short(message)})",
            s.hidden,
        )
    if "error" in got:
        return Case(
            s.name, False, "the edited files", f"ValueError({_short(got['error'])})", s.hidden
        )
    result = got["ok"]
    if not untouched or not got.get("new_dict"):
        return Case(
            s.name,
            False,
            "a NEW dict, the input untouched",
            "the input dict was edited in place",
            s.hidden,
        )
    wrong = sorted(set(result) ^ set(s.expected)) + sorted(
        p for p in s.expected if p in result and result[p] != s.expected[p]
    )
    return Case(
        s.name,
        not wrong,
        "every file as the blocks say",
        f"differs in: {', '.join(wrong)}" if wrong else "",
        s.hidden,
    )


def scenarios() -> tuple[Scenario, ...]:
    """The visible scenarios, then the hidden ones where the answer key is."""
    return (*VISIBLE, *hidden_value(SLUG, "SCENARIOS", ()))


def check(submission: Submission) -> list[Case]:
    scenarios_ = scenarios()
    calls = {f"s{i}": f"_hero_apply({s.files!r}, {s.edits!r})" for i, s in enumerate(scenarios_)}
    probe = submission.probe(calls, setup=SETUP)
    cases = []
    for i, s in enumerate(scenarios_):
        if probe.ok(f"s{i}"):
            cases.append(_judge(s, probe.value(f"s{i}")))
        else:
            expected = "a ValueError" if s.expected is None else "the edited files"
            cases.append(Case(s.name, False, expected, probe.error(f"s{i}"), s.hidden))
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from

INSTRUCTIONS = beside(__file__, "instructions.md")

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Apply the model's edits: exactly once, or not at all",
        chapter="book/05-ai-ide",
        instructions=INSTRUCTIONS,
        answers=(Answer("apply_edits", "function", STUB),),
        hints=(
            "Parse first, apply second: turn the text into a list of (path, search, replace) "
            "by walking the lines and watching for the three marker lines.",
            "Work on `new = dict(files)` (strings are immutable, so a shallow copy is enough) "
            "and only return it at the end; raising anywhere before that leaves `files` as "
            "it was. Check `new[path].count(search)` before each replacement.",
            "`if path not in new: if search == '': new[path] = replace; continue` else raise; "
            "`n = new[path].count(search)`; raise `ValueError(f'{path}: SEARCH found {n} "
            "times')` unless n == 1; then `new[path] = new[path].replace(search, replace, 1)`.",
        ),
        check=check,
        wrong={
            "wrong-replace-all": "ambiguous",
            "wrong-half-edits": "no half edits",
            "wrong-regex": "replacements are taken literally",
        },
    )
)
