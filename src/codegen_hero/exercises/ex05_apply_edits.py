"""Stage 5, the AI IDE: apply a model's search/replace edits safely, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen_hero.exercises.framework import Answer, Case, Exercise, register
from codegen_hero.exercises.submission import Submission

# Calls apply_edits on a copy, so the checker sees whether the input was touched, and turns
# every outcome into plain data. Anything but ValueError propagates: it is a failure to report.
SETUP = """
import copy as _hero_copy


def _hero_apply(files, edits):
    given = _hero_copy.deepcopy(files)
    try:
        result = apply_edits(given, edits)
    except ValueError as exc:
        return {"error": str(exc), "input_unchanged": given == files}
    if not isinstance(result, dict):
        return {"bad_type": type(result).__name__, "input_unchanged": given == files}
    return {"ok": result, "input_unchanged": given == files, "new_dict": result is not given}
"""


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

# Data the learner never sees.
CONFIG = """import os

DEFAULTS = {"port": 8000, "debug": False}


def load():
    port = int(os.environ.get("PORT", DEFAULTS["port"]))
    return {"port": port}
"""
ROUTES = """def route(path):
    return path.strip("/")


def handle(path):
    return route(path)


def handle_api(path):
    return route(path)
"""
HIDDEN_FILES = {"app/config.py": CONFIG, "app/routes.py": ROUTES}
# The second block edits what the first one wrote; the replacements hold regex specials.
CHAINED = block(
    "app/routes.py",
    'def route(path):\n    return path.strip("/")\n',
    'def route(path):\n    return re.sub(r"/+", "/", path).strip("/")  # \\1 $0\n',
) + block(
    "app/routes.py",
    '    return re.sub(r"/+", "/", path).strip("/")  # \\1 $0\n',
    '    return re.sub(r"(/)+", r"\\1", path).strip("/")\n',
)
CHAINED_ROUTES = ROUTES.replace(
    '    return path.strip("/")\n', '    return re.sub(r"(/)+", r"\\1", path).strip("/")\n'
)
# An edit in one file and a new file are fine; the last block is ambiguous in another file.
LATE_FAILURE = (
    block(
        "app/config.py", '    return {"port": port}\n', '    return {"port": port, "debug": True}\n'
    )
    + block("app/health.py", "", "def ok():\n    return True\n")
    + block("app/routes.py", "    return route(path)\n", "    return route(path.lower())\n")
)
OVERWRITE = block("app/config.py", "", "PORT = 9000\n")
DELETE = block("app/config.py", '\nDEFAULTS = {"port": 8000, "debug": False}\n', "")


@dataclass(frozen=True)
class Scenario:
    name: str
    files: dict[str, str]
    edits: str
    expected: dict[str, str] | None = None  # the result, or None when it must be refused
    names: str = ""  # the file a refusal must name
    hidden: bool = False


SCENARIOS = (
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
    Scenario(
        "another repo: blocks apply in order, replacements are taken literally",
        HIDDEN_FILES,
        CHAINED,
        {"app/config.py": CONFIG, "app/routes.py": CHAINED_ROUTES},
        hidden=True,
    ),
    Scenario(
        "another repo: a late ambiguous block undoes earlier edits and new files",
        HIDDEN_FILES,
        LATE_FAILURE,
        names="app/routes.py",
        hidden=True,
    ),
    Scenario(
        "another repo: an empty SEARCH for an existing file is refused",
        HIDDEN_FILES,
        OVERWRITE,
        names="app/config.py",
        hidden=True,
    ),
    Scenario(
        "another repo: an empty REPLACE deletes the lines",
        HIDDEN_FILES,
        DELETE,
        {
            "app/config.py": CONFIG.replace('\nDEFAULTS = {"port": 8000, "debug": False}\n', ""),
            "app/routes.py": ROUTES,
        },
        hidden=True,
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


def check(submission: Submission) -> list[Case]:
    calls = {f"s{i}": f"_hero_apply({s.files!r}, {s.edits!r})" for i, s in enumerate(SCENARIOS)}
    probe = submission.probe(calls, setup=SETUP)
    cases = []
    for i, s in enumerate(SCENARIOS):
        if probe.ok(f"s{i}"):
            cases.append(_judge(s, probe.value(f"s{i}")))
        else:
            expected = "a ValueError" if s.expected is None else "the edited files"
            cases.append(Case(s.name, False, expected, probe.error(f"s{i}"), s.hidden))
    return cases


STUB = '''def apply_edits(files: dict[str, str], edits: str) -> dict[str, str]:
    """Apply every SEARCH/REPLACE block in `edits` to a copy of `files`; return the copy.

    Raise ValueError (naming the file) if any block cannot be applied exactly once;
    then nothing changes: `files` stays as it was and no result is returned.
    """
    raise NotImplementedError("your code here")
'''

INSTRUCTIONS = (
    """
Cursor, Windsurf and aider do not ask the model to retype whole files: the model answers with
*search/replace blocks* and the editor applies them. This is where AI edits go wrong in
practice. A SEARCH that no longer matches (the model misremembered a line), one that matches
twice (which one did it mean?), or a batch that fails halfway and leaves your tree
half-edited. A good applier refuses clearly and changes nothing.

The format (several blocks may follow each other, for one or several files; any other text
between blocks, such as the model's explanation, is ignored):

```text
path/to/file.py
<<<<<<< SEARCH
exact old lines
=======
new lines
>>>>>>> REPLACE
```

The path is the line right before `<<<<<<< SEARCH`. SEARCH and REPLACE are whole lines: the
lines between the markers, each with its newline. Write
`apply_edits(files: dict[str, str], edits: str) -> dict[str, str]`:

- Return a **new** dict holding every file, edited; never modify `files`.
- Blocks apply in order; a later block sees what earlier blocks wrote. Each SEARCH text must
  occur **exactly once** in its file (`text.count(search) == 1`); replace that occurrence with
  the REPLACE text, taken literally.
- Raise `ValueError` whose message names the file when a SEARCH text is missing, when it
  occurs more than once (ambiguous), or when the file does not exist.
- An empty SEARCH for a path that does not exist creates that file with the REPLACE text
  (for a file that exists, an empty SEARCH matches everywhere: refuse it as ambiguous). An
  empty REPLACE deletes the SEARCH lines.
- **All or nothing:** if any block fails, raise, and nothing changes: not the input, and no
  partial result.

The checker runs a clean edit, each kind of refusal, a batch whose second block fails, and a
file creation on the files below, then more edits you do not see on another repository.

```python
"""
    + "\n".join(f"# --- {path}\n{text}" for path, text in FILES.items())
    + """```

For example, this text makes two edits in `tally.py`, one in `cli.py`:

```text
"""
    + MULTI
    + "```\n\nTo try your function, import them in a scratch cell: "
    "`from codegen_hero.exercises.ex05_apply_edits import FILES, MULTI`."
)

EXERCISE = register(
    Exercise(
        slug="05-apply-edits",
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
