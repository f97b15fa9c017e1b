"""Chatting about code: a precise review prompt within a token budget, and answer checks.

A precise question carries the file name (and versions when they matter), the code in a
fenced block tagged with its language, what you observed, and one question with a checkable
answer. When the code does not fit the budget it is cut at a line boundary, and a marker line
says so, so the model does not reason as if the file ended there. Tokens are counted with the
course's estimate, `approx_tokens` (about four characters per token).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from codegen_hero.exercises.tokens import approx_tokens

TAGS = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cpp": "cpp",
    ".rb": "ruby",
    ".sh": "bash",
}
COMMENT = {"python": "#", "ruby": "#", "bash": "#"}  # every other tagged language: //
MARKER = "truncated"
DEFAULT_BUDGET = 1000


def language_tag(filename: str) -> str:
    """The fence's language tag from the file's extension; "" for an unknown kind of file."""
    return TAGS.get(PurePosixPath(filename).suffix.lower(), "")


def _fence_for(code: str) -> str:
    """Three backticks, or more when the code itself contains a run of backticks."""
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    return "`" * max(3, longest + 1)


def truncation_marker(tag: str, more_lines: int) -> str:
    """A line saying how much code was left out, as a comment in the file's language."""
    text = f"... {MARKER}: {more_lines} more line{'s' if more_lines != 1 else ''}"
    if not tag:
        return text
    return f"{COMMENT.get(tag, '//')} {text}"


def _render(
    header: str,
    fence: str,
    tag: str,
    lines: list[str],
    dropped: int,
    tail: list[str],
) -> str:
    body = list(lines)
    if dropped:
        body.append(truncation_marker(tag, dropped))
    block = "\n".join([fence + tag, *body, fence])
    return "\n\n".join([header, block, *tail]) + "\n"


def build_review_prompt(
    code: str,
    filename: str,
    question: str,
    budget_tokens: int = DEFAULT_BUDGET,
    *,
    version: str | None = None,
    observed: str | None = None,
    answer_form: str | None = None,
) -> str:
    """A chat prompt asking one precise question about one file, within `budget_tokens`.

    The prompt carries: the file name (plus `version`, e.g. "Python 3.11"); the code verbatim
    in a fenced block tagged from the extension; `observed` (input, output, expectation);
    the question word for word; and `answer_form` ("at most three sentences and one code
    block"). If the whole code does not fit, the longest prefix of whole lines that fits is
    kept and a marker line says how many lines were cut. Raises ValueError when even the
    prompt without any code exceeds the budget.
    """
    tag = language_tag(filename)
    fence = _fence_for(code)
    header = f"File `{filename}`" + (f" ({version})" if version else "") + ":"
    tail = [part.strip() for part in (observed, question, answer_form) if part and part.strip()]
    lines = code.rstrip("\n").splitlines()

    whole = _render(header, fence, tag, lines, 0, tail)
    if approx_tokens(whole) <= budget_tokens:
        return whole
    if approx_tokens(_render(header, fence, tag, [], len(lines), tail)) > budget_tokens:
        raise ValueError(
            f"a budget of {budget_tokens} tokens does not fit even the file name and the "
            "question: raise the budget or shorten the question"
        )
    # The longest prefix that fits (the marker's length changes a little with the count).
    low, high = 0, len(lines) - 1
    while low < high:
        middle = (low + high + 1) // 2
        prompt = _render(header, fence, tag, lines[:middle], len(lines) - middle, tail)
        if approx_tokens(prompt) <= budget_tokens:
            low = middle
        else:
            high = middle - 1
    return _render(header, fence, tag, lines[:low], len(lines) - low, tail)


def _squash(text: str) -> str:
    """Lower case, without whitespace or backticks: `len(items) - size` == `len(items)-size`."""
    return re.sub(r"[\s`]+", "", text.lower())


def mentions(text: str, needles: Iterable[str]) -> bool:
    """Whether `text` contains any of `needles`, ignoring case, whitespace and backticks."""
    squashed = _squash(text)
    return any(_squash(needle) in squashed for needle in needles if needle.strip())


def without_echo(answer: str, source: str) -> str:
    """The answer without the lines it copied from `source` (models often repeat the code).

    A line is dropped when, stripped of surrounding whitespace, it equals a non-blank line
    of `source`; a line that quotes the code inside a sentence stays.
    """
    copied = {line.strip() for line in source.splitlines() if line.strip()}
    return "\n".join(line for line in answer.splitlines() if line.strip() not in copied)


def check_answer(
    text: str, properties: Mapping[str, Iterable[str]], *, ignore: str | None = None
) -> dict[str, bool]:
    """Deterministic property checks of an answer: {property name: does it mention any needle}.

    For example `{"names the buggy line": ["len(items) - size"], "says what is lost": ["last"]}`.
    With `ignore` (the code you asked about), lines the answer merely copied from it do not
    count, so an answer that repeats the buggy line does not "name" it. A check like this is
    crude, but it is the same for every model and every run.
    """
    if ignore:
        text = without_echo(text, ignore)
    return {name: mentions(text, needles) for name, needles in properties.items()}
