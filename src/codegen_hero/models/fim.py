"""From a model's fill-in-the-middle output to the ghost text an editor shows.

A model keeps writing past the point where a person would stop reading: into the next
function, or repeating the code that already follows the cursor. Editors cut a suggestion
at the end of the block the cursor is in; these rules do the same for Python code.
"""

from __future__ import annotations

# A new top-level statement: the model has left the block being written. Sent as stop
# sequences too, so generation ends there instead of running to the token limit.
BLOCK_STOPS = ("\ndef ", "\nclass ", "\n@", "\nif __name__", "\n\n\n", "\n```")


def place_at_cursor(text: str, prefix: str, suffix: str) -> str:
    """The model's text as it must be inserted at the cursor.

    Two habits of FIM models around a line's end: after a prompt ending in spaces they
    indent their first line again (their tokens join a newline with the spaces after it),
    and after a finished line (a docstring, a colon) they start the next line with its
    indentation but without the newline. The first is undone, the second completed.
    """
    current = prefix.rsplit("\n", 1)[-1]
    if current and not current.strip():
        return text.lstrip(" \t")
    at_line_end = not suffix.split("\n", 1)[0].strip()
    width = _indent(text.split("\n", 1)[0])
    if current.strip() and at_line_end and width >= 4 and width >= _indent(current):
        return "\n" + text
    return text


def stops_for(suffix: str) -> tuple[str, ...]:
    """Where generation may end: a new statement, or the line's end when code follows."""
    mid_line = bool(suffix.split("\n", 1)[0].strip())
    return (*BLOCK_STOPS, "\n") if mid_line else BLOCK_STOPS


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _cut_at(text: str, markers: tuple[str, ...] | list[str]) -> str:
    for marker in markers:
        if marker and marker in text:
            text = text[: text.index(marker)]
    return text


def _one_line(text: str, rest_of_line: str) -> str:
    """Mid-line, a suggestion is the rest of that line, without what already follows it."""
    line = text.split("\n", 1)[0]
    tail = rest_of_line.strip()
    if tail and line.rstrip().endswith(tail):
        line = line.rstrip()[: -len(tail)]
    return line.rstrip()


def trim_suggestion(
    text: str, prefix: str, suffix: str, stop: tuple[str, ...] = (), cut_off: bool = False
) -> str:
    """Keep the part of `text` that belongs at the cursor between `prefix` and `suffix`.

    - anything after a stop token the model printed is dropped;
    - with code after the cursor on the same line, the suggestion is one line;
    - otherwise it ends where the cursor's block ends: at the first line indented less
      than the cursor's line (or, at top level, at a new statement after a blank line),
      and before it starts repeating the code below the cursor;
    - `cut_off` (the token limit struck): a half-written last line is dropped.
    """
    text = _cut_at(text, [*stop, *BLOCK_STOPS])
    if cut_off and "\n" in text.strip():
        text = text.rstrip().rsplit("\n", 1)[0]
    rest_of_line = suffix.split("\n", 1)[0]
    if rest_of_line.strip():
        return _one_line(text, rest_of_line)
    current = prefix.rsplit("\n", 1)[-1]
    lines = text.split("\n")
    opens_block = current.rstrip().endswith(":")
    # On a blank cursor line, the block's depth is its indentation plus the suggestion's own.
    base = _indent(current) if current.strip() else len(current) + _indent(lines[0])
    below = next((line.strip() for line in suffix.split("\n") if line.strip()), None)
    kept, after_blank = [lines[0]], False
    for line in lines[1:]:
        if not line.strip():
            kept.append(line)
            after_blank = True
            continue
        depth = _indent(line)
        leaves_block = depth <= base if opens_block else depth < base
        new_statement = base == 0 and depth == 0 and after_blank and not opens_block
        if leaves_block or new_statement or line.strip() == below:
            break
        kept.append(line)
        after_blank = False
    return "\n".join(kept).rstrip()
