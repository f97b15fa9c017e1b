"""Stage 4, context packing: fit the relevant part of a repository into a token budget."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codegen_hero.exercises.answer_key import hidden_value
from codegen_hero.exercises.framework import (
    Answer,
    Case,
    Exercise,
    beside,
    instructions_beside,
    register,
)
from codegen_hero.exercises.submission import Submission
from codegen_hero.exercises.tokens import approx_tokens

SLUG = "04-pack-context"
MAX_FILE_CHARS = 20_000
HEADER = re.compile(r"^=== (?P<path>.+?) ===[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Scenario:
    """One repository, one call, and what a correct pack must (not) hold."""

    label: str
    files: dict[str, str | bytes]
    gitignore: str
    priority: list[str]
    order: list[str]  # every file that may be packed, in the order it must appear
    ignored: list[str]  # .gitignore'd paths
    skipped: list[str]  # binary or oversized paths
    secret: str  # a string only an ignored file holds
    too_big: frozenset[str] = frozenset()  # eligible files that cannot fit in this budget
    slack: int = 400  # tokens of room beyond the files that must fit
    hidden: bool = False

    @property
    def budget(self) -> int:
        """Room for every file that must fit, plus slack for any sensible header format."""
        kept = [p for p in self.order if p not in self.too_big]
        text = "".join(f"=== {p} ===\n{_text(self.files[p])}\n" for p in kept)
        return approx_tokens(text) + self.slack


def _text(content: str | bytes) -> str:
    """The content as text; undecodable bytes are replaced, so judging never crashes."""
    return content.decode("utf-8", "replace") if isinstance(content, bytes) else content


SAMPLE_FILES: dict[str, str | bytes] = {
    "README.md": "# wordtally\n\nCount the words in text files.\n\n    wordtally FILE... --top N\n",
    "src/cli.py": (
        "import argparse\n\nfrom tally import tally_files\n\n\n"
        "def main(argv=None):\n"
        "    parser = argparse.ArgumentParser(prog='wordtally')\n"
        "    parser.add_argument('files', nargs='+')\n"
        "    parser.add_argument('--top', type=int, default=10)\n"
        "    args = parser.parse_args(argv)\n"
        "    for word, count in tally_files(args.files).most_common(args.top):\n"
        "        print(f'{count:6} {word}')\n"
    ),
    "src/tally.py": (
        'import re\nfrom collections import Counter\n\nWORD = re.compile(r"[a-z\']+")\n\n\n'
        "def tally_files(paths):\n"
        "    counts = Counter()\n"
        "    for path in paths:\n"
        "        with open(path, encoding='utf-8') as handle:\n"
        "            counts.update(WORD.findall(handle.read().lower()))\n"
        "    return counts\n"
    ),
    "tests/test_tally.py": (
        "from tally import tally_files\n\n\n"
        "def test_counts_words(tmp_path):\n"
        "    sample = tmp_path / 'a.txt'\n"
        "    sample.write_text('the cat and the hat')\n"
        "    assert tally_files([sample])['the'] == 2\n"
    ),
    "docs/design.md": "# Design notes\n\n"
    + "".join(
        f"- Decision {n}: keep the tally in memory; files are read one at a time.\n"
        for n in range(1, 40)
    ),
    "pyproject.toml": '[project]\nname = "wordtally"\nversion = "0.1.0"\n',
    "keep.log": "Release log, kept on purpose: 0.1.0 first cut.\n",
    "debug.log": "DEBUG tally_files(['a.txt']) took 3 ms\n",
    "secrets.env": "OPENAI_API_KEY=sk-live-7Hq2ZxWbQ9fT4mLp\n",
    "build/wordtally.js": "console.log('generated bundle');\n",
    "src/__pycache__/tally.cpython-311.pyc": b"\xa7\r\r\n\x00\x00\x00\x00compiled",
    "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    "data/corpus.txt": "lorem ipsum dolor sit amet " * 1000,
}
SAMPLE_GITIGNORE = """# editor and build output
*.log
!keep.log

build/
__pycache__/
secrets.env
"""
SAMPLE_PRIORITY = ["README.md", "src/*.py"]
SAMPLE_ORDER = [
    "README.md",
    "src/cli.py",
    "src/tally.py",
    "docs/design.md",
    "keep.log",
    "pyproject.toml",
    "tests/test_tally.py",
]
SAMPLE_IGNORED = [
    "debug.log",
    "secrets.env",
    "build/wordtally.js",
    "src/__pycache__/tally.cpython-311.pyc",
]
SAMPLE_SKIPPED = ["assets/logo.png", "data/corpus.txt"]

SAMPLE: dict[str, Any] = {
    "files": SAMPLE_FILES,
    "gitignore": SAMPLE_GITIGNORE,
    "priority": SAMPLE_PRIORITY,
    "order": SAMPLE_ORDER,
    "ignored": SAMPLE_IGNORED,
    "skipped": SAMPLE_SKIPPED,
    "secret": "sk-live-7Hq2ZxWbQ9fT4mLp",
}
VISIBLE = (
    Scenario("sample repo", **SAMPLE),
    Scenario("tight budget", **SAMPLE, too_big=frozenset({"docs/design.md"}), slack=60),
)


def parse_pack(text: str) -> list[tuple[str, str]]:
    """(path, body) for each `=== path ===` block, in order."""
    matches = list(HEADER.finditer(text))
    blocks = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        blocks.append((match["path"], text[match.end() : end]))
    return blocks


def _short(paths: list[str]) -> str:
    return ", ".join(paths[:4]) + (" …" if len(paths) > 4 else "") if paths else "none"


def _cases(packed: object, s: Scenario) -> list[Case]:
    label, hidden = s.label, s.hidden
    if not isinstance(packed, str):
        return [Case(f"{label}: returns a string", False, "a str", type(packed).__name__, hidden)]
    blocks = parse_pack(packed)
    paths = [path for path, _ in blocks]
    used = approx_tokens(packed)
    leaked = [p for p in paths if p in s.ignored] + (["(its text)"] if s.secret in packed else [])
    wrongly = [p for p in paths if p in s.skipped]
    broken = [
        path
        for path, body in blocks
        if path not in s.files or body.strip() != _text(s.files[path]).strip()
    ] + sorted({p for p in paths if paths.count(p) > 1})
    expected = [p for p in s.order if p not in s.too_big]
    known = [p for p in paths if p in s.order]  # strays are judged by the other cases
    in_order = [p for p in s.order if p in known]
    slip = next((i for i, (a, b) in enumerate(zip(known, in_order, strict=True)) if a != b), 0)
    missing = [p for p in expected if p not in paths]
    extra = [p for p in s.too_big if p in paths]
    if s.too_big:
        fit_name = (
            f"{label}: skips what does not fit ({_short(sorted(s.too_big))}) "
            "and still adds later smaller files"
        )
    else:
        fit_name = f"{label}: includes every file that is not ignored, binary or too large"
    return [
        Case(
            f"{label}: fits the budget of {s.budget} tokens",
            used <= s.budget,
            f"at most {s.budget} tokens",
            f"{used} tokens",
            hidden,
        ),
        Case(
            f"{label}: .gitignore'd files stay out (the secret must not leak)",
            not leaked,
            "no ignored file and no secret in the pack",
            f"leaked: {_short(leaked)}",
            hidden,
        ),
        Case(
            f"{label}: skips binary files and files over {MAX_FILE_CHARS:,} characters",
            not wrongly,
            "none of them packed",
            f"packed: {_short(wrongly)}",
            hidden,
        ),
        Case(
            f"{label}: each file is whole, under its own `=== path ===` header",
            bool(blocks) and not broken,
            "one header per file, followed by exactly its content",
            f"bad blocks: {_short(broken)}" if blocks else "no `=== path ===` header found",
            hidden,
        ),
        Case(
            f"{label}: priority files first, then the rest in sorted order",
            known == in_order,
            f"position {slip + 1}: {in_order[slip]}" if known != in_order else "",
            f"position {slip + 1}: {known[slip]}" if known != in_order else "",
            hidden,
        ),
        Case(
            fit_name,
            not missing and not extra,
            f"packed: {_short(expected)}",
            f"missing {_short(missing)}; should not fit: {_short(extra)}",
            hidden,
        ),
    ]


def scenarios() -> tuple[Scenario, ...]:
    """The sample repository's scenarios, then the hidden ones where the answer key is."""
    return (*VISIBLE, *hidden_value(SLUG, "SCENARIOS", ()))


def check(submission: Submission) -> list[Case]:
    scenarios_ = scenarios()
    calls = {
        f"s{i}": f"pack_repo({s.files!r}, {s.gitignore!r}, {s.budget}, {s.priority!r})"
        for i, s in enumerate(scenarios_)
    }
    probe = submission.probe(calls)
    cases: list[Case] = []
    for i, s in enumerate(scenarios_):
        if probe.ok(f"s{i}"):
            cases += _cases(probe.value(f"s{i}"), s)
        else:
            cases.append(
                Case(f"{s.label}: runs", False, "a packed string", probe.error(f"s{i}"), s.hidden)
            )
    return cases


STUB = beside(__file__, "stub.py")  # the answer cell a learner starts from


def _listing() -> str:
    rows = []
    for path, content in sorted(SAMPLE_FILES.items()):
        unit = "bytes" if isinstance(content, bytes) else "characters of text"
        rows.append(f"{path:<40} {len(content):>6} {unit}")
    return "\n".join(rows)


INSTRUCTIONS = instructions_beside(
    __file__,
    LISTING=_listing(),
    MAX_FILE_CHARS=f"{MAX_FILE_CHARS:,}",
    SAMPLE_GITIGNORE=SAMPLE_GITIGNORE,
    SAMPLE_PRIORITY=repr(SAMPLE_PRIORITY),
)

EXERCISE = register(
    Exercise(
        slug=SLUG,
        title="Pack the repo: what the model gets to see",
        chapter="book/04-copy-paste",
        instructions=INSTRUCTIONS,
        answers=(Answer("pack_repo", "function", STUB),),
        hints=(
            "Split the job into small functions: `is_ignored(path, rules)`, `as_text(content)` "
            "(None for binary), `ordered(paths, priority)`, then one loop that adds blocks "
            "while they fit.",
            "For .gitignore, keep a list of (pattern, negated, dir_only) and walk it for each "
            "path: `parts = path.split('/')`; a dir-only rule tests `parts[:-1]`, any other "
            "rule tests all `parts` with `fnmatch`; the last matching rule decides.",
            "The budget loop: `block = f'=== {path} ===\\n{text}\\n'`; "
            "`if approx_tokens(result + block) <= budget_tokens: result += block` — and "
            "`continue` (not `break`) when it does not fit, so smaller files can follow.",
        ),
        check=check,
        wrong={
            "wrong-ignores-gitignore": "the secret must not leak",
            "wrong-no-budget": "fits the budget",
            "wrong-stops-at-first-misfit": "still adds later smaller files",
        },
    )
)
