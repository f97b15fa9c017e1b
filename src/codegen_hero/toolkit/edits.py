"""SEARCH/REPLACE edit blocks, as AI editors use them: parse, then apply all or nothing.

The format (the path is the line right before `<<<<<<< SEARCH`; SEARCH and REPLACE are
whole lines; text between blocks, such as the model's explanation, is ignored):

    greet.py
    <<<<<<< SEARCH
    exact old lines
    =======
    new lines
    >>>>>>> REPLACE

    new_files = apply_edits(files, model_answer)   # a new dict; `files` is never modified

Each SEARCH must occur exactly once in its file at the moment it applies (blocks apply in
order). A missing or ambiguous SEARCH, or a file that does not exist, raises ValueError
naming the file, and then nothing changes. An empty SEARCH creates a new file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEARCH = re.compile(r"^<{5,9} ?SEARCH\s*$")
DIVIDER = re.compile(r"^={5,9}\s*$")
REPLACE = re.compile(r"^>{5,9} ?REPLACE\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
FORMAT_EXAMPLE = """path/to/file.py
<<<<<<< SEARCH
exact lines copied from the file
=======
the lines that replace them
>>>>>>> REPLACE"""


@dataclass(frozen=True)
class Edit:
    path: str
    search: str
    replace: str


def _path_before(lines: list[str], index: int) -> str:
    """The file name on the line before a SEARCH marker, skipping a code fence line."""
    back = index - 1
    while back >= 0 and (not lines[back].strip() or FENCE.match(lines[back])):
        back -= 1
    if back < 0:
        return ""
    name = lines[back].strip()
    name = re.sub(r"^(#+|//|--)?\s*(file(name)?:)?\s*", "", name, flags=re.I)  # "# File: a.py"
    name = name.strip("*`'\" ").rstrip(":").strip("*`'\" ")
    return name if name and " " not in name else ""


def parse_edits(text: str) -> list[Edit]:
    """Every complete block in `text`, in order. A block cut off before REPLACE raises."""
    lines = text.splitlines(keepends=True)
    bare = [line.rstrip("\r\n") for line in lines]
    edits: list[Edit] = []
    index = 0
    while index < len(lines):
        if not SEARCH.match(bare[index]):
            index += 1
            continue
        path = _path_before(bare, index)
        divider = end = None
        for i in range(index + 1, len(lines)):
            if SEARCH.match(bare[i]) or (divider is not None and DIVIDER.match(bare[i])):
                break  # the next block started (or a second divider) before this one ended
            if divider is None and DIVIDER.match(bare[i]):
                divider = i
            elif divider is not None and REPLACE.match(bare[i]):
                end = i
                break
        if divider is None or end is None:
            where = path or "an unnamed file"
            raise ValueError(
                f"{where}: the edit block at line {index + 1} is incomplete "
                "(it needs a ======= line and then a >>>>>>> REPLACE line)"
            )
        if not path:
            raise ValueError(f"line {index + 1}: an edit block with no file name before it")
        start = index + 1
        edits.append(Edit(path, "".join(lines[start:divider]), "".join(lines[divider + 1 : end])))
        index = end + 1
    return edits


def apply_edits(
    files: dict[str, str], edits: str | list[Edit], *, allow_empty: bool = False
) -> dict[str, str]:
    """Apply every block to a copy of `files`, in order, and return the copy.

    Raises ValueError naming the file when any block cannot apply exactly once (and then
    nothing changes), and when no block was found at all unless `allow_empty`.
    """
    blocks = parse_edits(edits) if isinstance(edits, str) else list(edits)
    if not blocks and not allow_empty:
        raise ValueError("no SEARCH/REPLACE blocks found: nothing to apply")
    new = dict(files)
    for number, edit in enumerate(blocks, start=1):
        search, replace = edit.search, edit.replace
        if edit.path not in new:
            if search == "":
                new[edit.path] = replace
                continue
            known = ", ".join(sorted(files)) or "none"
            raise ValueError(f"{edit.path}: no such file (block {number}; files: {known})")
        if search == "":
            raise ValueError(
                f"{edit.path}: block {number} has an empty SEARCH for a file "
                "that exists (it would match everywhere)"
            )
        text = new[edit.path]
        count = text.count(search)
        if count != 1:
            first = search.strip().splitlines()[0] if search.strip() else search
            problem = "not found" if count == 0 else f"found {count} times (ambiguous)"
            raise ValueError(
                f"{edit.path}: block {number}'s SEARCH text is {problem}; it starts with {first!r}"
            )
        new[edit.path] = text.replace(search, replace, 1)
    return new


def format_block(path: str, search: str, replace: str) -> str:
    """One block as text. Build blocks with this in notebooks: IPython strips a leading `>>>`
    from cell lines (it takes them for pasted prompts), which breaks a literal REPLACE marker."""

    def whole(text: str) -> str:
        return text if not text or text.endswith("\n") else text + "\n"

    return f"{path}\n<<<<<<< SEARCH\n{whole(search)}=======\n{whole(replace)}{'>' * 7} REPLACE\n"


def build_edit_prompt(files: dict[str, str], request: str) -> str:
    """A prompt showing the files, the change request and the exact block format to answer in."""
    shown = "\n\n".join(f"{path}:\n```python\n{text}```" for path, text in files.items())
    first = next(iter(files), "file.py")
    return (
        f"{shown}\n\nTask: {request}\n\n"
        "Reply with SEARCH/REPLACE blocks and nothing else. The first line is the file name, "
        "then the exact lines to find, then the new lines:\n\n"
        f"{first}\n<<<<<<< SEARCH\n(exact lines from {first})\n=======\n(the new lines)\n"
        ">>>>>>> REPLACE\n"
    )


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Paths that an edit created or changed, sorted."""
    return sorted(p for p in after if before.get(p) != after[p])
