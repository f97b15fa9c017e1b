"""Pack a repository into one text for a chat model, within a token budget, like repomix.

    from codegen_hero.toolkit.packing import pack_directory
    pack = pack_directory("path/to/repo", budget_tokens=1200, priority=["README.md", "src/*"])
    pack.text          # `=== path ===` header, then the file, for each packed file
    pack.report()      # one line per file: included, or skipped and why

Decisions, in order: files the `.gitignore` leaves out never go in (secrets stay home);
binary files and files over `max_file_chars` are skipped; priority files come first, then
the rest sorted by path; a file that does not fit the remaining budget is skipped whole, and
smaller files after it may still go in.

The `.gitignore` subset: blank lines and `#` comments are ignored; `!pattern` re-includes
(the last matching line wins); `name/` matches a directory of that name anywhere; a pattern
holding a `/` elsewhere is matched against the whole path from the root; any other pattern
is an fnmatch pattern matched against the file's name and every directory name in its path.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero.exercises.tokens import approx_tokens

MAX_FILE_CHARS = 20_000
ALWAYS_SKIPPED_DIRS = (".git", ".hg", ".svn")

INCLUDED, IGNORED, BINARY, TOO_LARGE, NO_ROOM = (
    "included",
    "ignored",
    "binary",
    "too large",
    "over budget",
)


@dataclass(frozen=True)
class Rule:
    pattern: str
    negated: bool
    dir_only: bool
    anchored: bool

    def matches(self, path: str) -> bool:
        parts = path.split("/")
        if self.anchored:
            prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
            candidates = prefixes[:-1] if self.dir_only else prefixes
            return any(fnmatch.fnmatchcase(p, self.pattern) for p in candidates)
        names = parts[:-1] if self.dir_only else parts
        return any(fnmatch.fnmatchcase(name, self.pattern) for name in names)


def parse_gitignore(text: str) -> list[Rule]:
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line[1:] if negated else line
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = "/" in line
        if line:
            rules.append(Rule(line.lstrip("/"), negated, dir_only, anchored))
    return rules


def ignored_by(path: str, rules: list[Rule]) -> Rule | None:
    """The rule that excludes `path`, or None when the path is kept (last match wins)."""
    verdict = None
    for rule in rules:
        if rule.matches(path):
            verdict = None if rule.negated else rule
    return verdict


def as_text(content: str | bytes) -> str | None:
    """The content as text, or None for binary (a NUL byte, or bytes that are not UTF-8)."""
    if isinstance(content, str):
        return None if "\0" in content else content
    if b"\0" in content:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def priority_rank(path: str, priority: list[str]) -> int:
    """Index of the first priority entry (exact path or fnmatch pattern) that matches."""
    for rank, entry in enumerate(priority):
        if path == entry or fnmatch.fnmatchcase(path, entry):
            return rank
    return len(priority)


def header(path: str) -> str:
    return f"=== {path} ==="


@dataclass(frozen=True)
class Entry:
    path: str
    status: str  # included, ignored, binary, too large, over budget
    reason: str
    tokens: int | None  # the file's block, when it is text


@dataclass
class Pack:
    text: str
    budget_tokens: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return approx_tokens(self.text)

    @property
    def included(self) -> list[str]:
        return [e.path for e in self.entries if e.status == INCLUDED]

    @property
    def skipped(self) -> list[Entry]:
        return [e for e in self.entries if e.status != INCLUDED]

    def report(self) -> str:
        width = max((len(e.path) for e in self.entries), default=4)
        lines = [f"{self.tokens} of {self.budget_tokens} tokens, {len(self.included)} files"]
        for e in self.entries:
            size = "" if e.tokens is None else f"{e.tokens:>6} tok"
            lines.append(f"{e.status:<12} {e.path:<{width}} {size:>10}  {e.reason}".rstrip())
        return "\n".join(lines)

    def records(self) -> list[dict[str, object]]:
        """One dict per file, for `pandas.DataFrame(pack.records())`."""
        return [vars(e).copy() for e in self.entries]


def pack_files(
    files: dict[str, str | bytes],
    budget_tokens: int,
    *,
    gitignore: str = "",
    priority: list[str] | tuple[str, ...] = (),
    max_file_chars: int = MAX_FILE_CHARS,
    preamble: str = "",
) -> Pack:
    """Pack `files` (path with "/" -> content) into at most `budget_tokens` tokens."""
    if budget_tokens < 1:
        raise ValueError(f"budget_tokens must be positive, not {budget_tokens}")
    rules = parse_gitignore(gitignore)
    priority = list(priority)
    skipped: list[Entry] = []
    candidates: list[tuple[str, str]] = []
    for path in sorted(files):
        rule = ignored_by(path, rules)
        if rule is not None:
            shown = ("!" if rule.negated else "") + rule.pattern + ("/" if rule.dir_only else "")
            skipped.append(Entry(path, IGNORED, f".gitignore: {shown}", None))
            continue
        text = as_text(files[path])
        if text is None:
            skipped.append(Entry(path, BINARY, "binary content (NUL byte or not UTF-8)", None))
        elif len(text) > max_file_chars:
            reason = f"{len(text):,} characters, over the {max_file_chars:,} limit"
            skipped.append(Entry(path, TOO_LARGE, reason, approx_tokens(text)))
        else:
            candidates.append((path, text))
    candidates.sort(key=lambda item: (priority_rank(item[0], priority), item[0]))
    result = preamble
    if approx_tokens(result) > budget_tokens:
        raise ValueError(f"the preamble alone is over the budget of {budget_tokens} tokens")
    packed: list[Entry] = []
    for path, text in candidates:
        block = f"{header(path)}\n{text}" + ("" if text.endswith("\n") else "\n")
        cost = approx_tokens(block)
        if approx_tokens(result + block) <= budget_tokens:
            result += block
            rank = priority_rank(path, priority)
            why = f"priority {priority[rank]!r}" if rank < len(priority) else "fits"
            packed.append(Entry(path, INCLUDED, why, cost))
        else:
            left = budget_tokens - approx_tokens(result)
            packed.append(Entry(path, NO_ROOM, f"needs {cost} tokens, {left} left", cost))
    return Pack(result, budget_tokens, packed + skipped)


def read_tree(root: str | Path) -> tuple[dict[str, str | bytes], str]:
    """(every file under root as path -> bytes, the root's .gitignore text); skips .git."""
    base = Path(root)
    files: dict[str, str | bytes] = {}
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(base)
        if path.is_file() and not set(relative.parts) & set(ALWAYS_SKIPPED_DIRS):
            files[relative.as_posix()] = path.read_bytes()
    gitignore = base / ".gitignore"
    text = gitignore.read_text(encoding="utf-8") if gitignore.is_file() else ""
    return files, text


def pack_directory(
    root: str | Path,
    budget_tokens: int,
    *,
    priority: list[str] | tuple[str, ...] = (),
    max_file_chars: int = MAX_FILE_CHARS,
    preamble: str = "",
) -> Pack:
    """Pack a directory on disk, honouring its top-level `.gitignore`."""
    files, gitignore = read_tree(root)
    return pack_files(
        files,
        budget_tokens,
        gitignore=gitignore,
        priority=priority,
        max_file_chars=max_file_chars,
        preamble=preamble,
    )
