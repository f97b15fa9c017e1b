"""A focused debugging prompt from a traceback and your sources, within a token budget.

The prompt carries what a chat model needs to say why code broke: the error line, the source
line of every frame that passes through your files, the failing functions' source, and a
question. When the budget is tight the least important material goes first (whole
functions, then outer frames); the question and the error line always stay.

    from codegen_hero.toolkit.prompts import build_debug_prompt
    prompt = build_debug_prompt(result.stderr, {"stats.py": STATS}, budget_tokens=400)
    print(prompt.text)       # what to send
    print(prompt.report())   # what went in and what was dropped, and why
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from codegen_hero import pysyntax
from codegen_hero.exercises.tokens import approx_tokens

FRAME = re.compile(
    r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>.+?)\s*$', re.MULTILINE
)
DEFAULT_QUESTION = (
    "Why does this code raise the error below? Name the cause in one sentence, then propose "
    "a fix and say what the fixed code does with the input that failed."
)


@dataclass(frozen=True)
class Frame:
    """One traceback frame in a file we have the source of (file named as in `sources`)."""

    file: str
    line: int
    func: str
    source_line: str

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}, in {self.func}"


@dataclass
class DebugPrompt:
    """The prompt text, its size, and what was included or left out to fit the budget."""

    text: str
    tokens: int
    budget_tokens: int
    frames: list[Frame]
    included: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text

    def report(self) -> str:
        lines = [f"{self.tokens} of {self.budget_tokens} tokens"]
        lines += [f"  included: {item}" for item in self.included]
        lines += [f"  dropped (no room): {item}" for item in self.dropped]
        return "\n".join(lines)


def error_line(traceback_text: str) -> str:
    """The last non-empty line of a traceback: `KeyError: 'Pear'`."""
    lines = [line for line in traceback_text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _source_key(path: str, sources: dict[str, str]) -> str | None:
    """The key of `sources` that names this traceback path (exactly, or as its tail)."""
    normal = path.replace("\\", "/")
    if normal in sources:
        return normal
    tails = [key for key in sources if normal.endswith("/" + key.lstrip("/"))]
    return max(tails, key=len) if tails else None


def parse_frames(traceback_text: str, sources: dict[str, str]) -> list[Frame]:
    """The frames that pass through `sources`, outermost first (library frames are left out)."""
    frames = []
    for raw in traceback_text.splitlines():
        match = FRAME.match(raw)
        if not match:
            continue
        key = _source_key(match["file"], sources)
        if key is None:
            continue
        lines = sources[key].splitlines()
        number = int(match["line"])
        text = lines[number - 1].strip() if 1 <= number <= len(lines) else ""
        frames.append(Frame(key, number, match["func"], text))
    return frames


def clean_traceback(traceback_text: str, sources: dict[str, str]) -> str:
    """The traceback with the directory your files ran from cut out of every path.

    A sandbox or CI run puts files in a fresh temporary directory, so the same crash gives a
    different text each time; cut, it is stable (and shorter to paste).
    """
    prefixes = set()
    for match in FRAME.finditer(traceback_text):
        key = _source_key(match["file"], sources)
        path = match["file"].replace("\\", "/")
        if key is not None and path != key:
            prefixes.add(match["file"][: len(match["file"]) - len(key)])
    for prefix in sorted(prefixes, key=len, reverse=True):
        traceback_text = traceback_text.replace(prefix, "")
    return traceback_text


def enclosing_source(source: str, line: int) -> tuple[int, int, str] | None:
    """(first line, last line, text) of the innermost function or class holding `line`."""
    try:
        tree = pysyntax.parse(source)
    except SyntaxError:
        return None
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            last = node.end_lineno or node.lineno
            if first <= line <= last and (best is None or first >= best[0]):
                best = (first, last)
    if best is None:
        return None
    lines = source.splitlines()
    return best[0], best[1], "\n".join(lines[best[0] - 1 : best[1]])


def _render(
    question: str, error: str, listed: list[Frame], blocks: dict[tuple[str, int], tuple[str, str]]
) -> str:
    parts = [question, "", "Error:", "```text", error, "```"]
    if listed:
        parts += ["", "Where it failed (outermost call first, the failing line last):"]
        parts += [f"- {frame.where}: `{frame.source_line}`" for frame in listed]
    for file in dict.fromkeys(file for file, _ in blocks):  # innermost frame's file first
        whole = blocks.get((file, 0))
        shown = [whole] if whole else [b for (f, _), b in blocks.items() if f == file]
        for label, code in shown:
            parts += ["", f"{label}:", "```python", code.rstrip("\n"), "```"]
    return "\n".join(parts) + "\n"


def build_debug_prompt(
    traceback_text: str,
    sources: dict[str, str],
    budget_tokens: int,
    question: str = DEFAULT_QUESTION,
) -> DebugPrompt:
    """Build the most useful prompt that fits `budget_tokens` (counted with approx_tokens).

    Priority: the question and the error line (always), the innermost frame's line, the other
    frames' lines (innermost first), the source of each failing function (innermost first),
    then whole files (innermost first; a whole file replaces its functions' excerpts).
    A piece that does not fit is dropped whole; smaller pieces after it may still go in.
    Raises ValueError when even the question and the error line do not fit.
    """
    error = error_line(traceback_text)
    if not error:
        raise ValueError("the traceback is empty: there is no error line to ask about")
    frames = parse_frames(traceback_text, sources)
    if approx_tokens(_render(question, error, [], {})) > budget_tokens:
        raise ValueError(
            f"a budget of {budget_tokens} tokens cannot hold even the question and the error line"
        )
    listed: set[int] = set()  # indexes into frames
    blocks: dict[tuple[str, int], tuple[str, str]] = {}  # (file, first line or 0) -> block
    included = ["question", f"error line: {error}"]
    dropped: list[str] = []

    def text() -> str:
        return _render(question, error, [frames[i] for i in sorted(listed)], blocks)

    def attempt(label: str, frame: int | None = None, block: tuple | None = None) -> None:
        if frame is not None:
            listed.add(frame)
        if block is not None:
            blocks[block[0]] = block[1]
        if approx_tokens(text()) <= budget_tokens:
            included.append(label)
            return
        if frame is not None:
            listed.discard(frame)
        if block is not None:
            blocks.pop(block[0])
        dropped.append(label)

    innermost_first = list(reversed(range(len(frames))))
    for index in innermost_first:
        attempt(f"frame line: {frames[index].where}", frame=index)
    for index in innermost_first:
        frame = frames[index]
        found = enclosing_source(sources[frame.file], frame.line)
        if found is not None and (frame.file, found[0]) not in blocks:
            first, last, code = found
            label = f"{frame.file}, lines {first}-{last} ({frame.func})"
            attempt(f"function: {label}", block=((frame.file, first), (label, code)))
    for file in dict.fromkeys(frames[i].file for i in innermost_first):
        attempt(f"whole file: {file}", block=((file, 0), (f"{file} (whole file)", sources[file])))
    final = text()
    return DebugPrompt(final, approx_tokens(final), budget_tokens, frames, included, dropped)
