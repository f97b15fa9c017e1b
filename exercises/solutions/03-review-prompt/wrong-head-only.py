# Cuts from the top, as the lab did: the longest prefix of whole lines that fits, then a
# marker. Honest, but the function the question is about may be among the lines cut off.
import os

from codegen_hero.exercises.tokens import approx_tokens

TAGS = {".py": "python", ".js": "javascript", ".go": "go"}


def build_review_prompt(code, filename, question, focus_line, budget_tokens):
    tag = TAGS.get(os.path.splitext(filename)[1], "")
    lines = code.splitlines()

    def render(kept):
        cut = len(kept) < len(lines)
        marker = [f"... {len(lines) - len(kept)} more lines omitted"] if cut else []
        body = "\n".join([*kept, *marker])
        return f"File: {filename}\n\n```{tag}\n{body}\n```\n\nQuestion: {question}\n"

    kept = []
    for line in lines:
        if approx_tokens(render([*kept, line])) > budget_tokens:
            break
        kept.append(line)
    return render(kept)
