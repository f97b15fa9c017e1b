import os

from codegen_hero.exercises.tokens import approx_tokens

TAGS = {".py": "python", ".js": "javascript", ".go": "go"}


def _enclosing(lines: list[str], focus: int) -> tuple[int, int]:
    """The 0-based first and last line of the top-level block around line `focus` (0-based)."""

    def top(line: str) -> bool:
        return bool(line.strip()) and not line[0].isspace()

    start = focus
    while start > 0 and not top(lines[start]):
        start -= 1
    end = start + 1
    while end < len(lines) and not top(lines[end]):
        end += 1
    if end < len(lines) and lines[end].lstrip().startswith(("}", ")")):
        end += 1  # the closing brace belongs to the block it closes
    end -= 1
    while end > start and not lines[end].strip():
        end -= 1
    return start, end


def build_review_prompt(
    code: str, filename: str, question: str, focus_line: int, budget_tokens: int
) -> str:
    tag = TAGS.get(os.path.splitext(filename)[1], "")
    lines = code.splitlines()

    def marker(skipped: list[int]) -> str:
        first, last = skipped[0] + 1, skipped[-1] + 1
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        return f"... {where} omitted"

    def render(keep: set[int]) -> str:
        body: list[str] = []
        skipped: list[int] = []
        for number, line in enumerate(lines):
            if number in keep:
                if skipped:
                    body.append(marker(skipped))
                    skipped = []
                body.append(line)
            else:
                skipped.append(number)
        if skipped:
            body.append(marker(skipped))
        text = "\n".join(body)
        return f"File: {filename}\n\n```{tag}\n{text}\n```\n\nQuestion: {question}\n"

    everything = set(range(len(lines)))
    if approx_tokens(render(everything)) <= budget_tokens:
        return render(everything)
    start, end = _enclosing(lines, focus_line - 1)
    imports = {
        n
        for n, line in enumerate(lines)
        if line.strip().startswith(("import ", "from ")) or "require(" in line
    }
    keep = imports | set(range(start, end + 1))
    low, high = start - 1, end + 1
    while low >= 0 or high < len(lines):  # grow the window, above and below in turn
        grew = False
        for number in (low, high):
            if 0 <= number < len(lines) and approx_tokens(render(keep | {number})) <= budget_tokens:
                keep.add(number)
                grew = True
        if not grew:
            break
        low, high = low - 1, high + 1
    return render(keep)
