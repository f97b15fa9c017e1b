import os

from codegen_hero.exercises.tokens import approx_tokens

TAGS = {".py": "python", ".js": "javascript", ".go": "go"}


def build_review_prompt(code: str, filename: str, question: str, budget_tokens: int) -> str:
    tag = TAGS.get(os.path.splitext(filename)[1], "")
    lines = code.splitlines()

    def render(kept: list[str]) -> str:
        cut = len(kept) < len(lines)
        marker = [f"... truncated: {len(lines) - len(kept)} more lines not shown"] if cut else []
        body = "\n".join([*kept, *marker])
        return f"File: {filename}\n\n```{tag}\n{body}\n```\n\nQuestion: {question}\n"

    if approx_tokens(render(lines)) <= budget_tokens:
        return render(lines)
    kept: list[str] = []
    for line in lines:  # the longest prefix of whole lines that still fits
        if approx_tokens(render([*kept, line])) > budget_tokens:
            break
        kept.append(line)
    return render(kept)
