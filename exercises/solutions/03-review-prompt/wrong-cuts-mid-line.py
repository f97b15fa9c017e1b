# Truncates the code string by characters: it fits the budget, but the last line is cut in
# the middle, so the model sees a syntax error that is not in the real file.
import os

from codegen_hero.exercises.tokens import approx_tokens

TAGS = {".py": "python", ".js": "javascript", ".go": "go"}


def build_review_prompt(code, filename, question, budget_tokens):
    tag = TAGS.get(os.path.splitext(filename)[1], "")
    frame = f"File: {filename}\n\n```{tag}\n\n[truncated]\n```\n\n{question}\n"
    room = (budget_tokens - approx_tokens(frame)) * 4
    if len(code) <= room:
        return f"File: {filename}\n\n```{tag}\n{code}```\n\n{question}\n"
    return f"File: {filename}\n\n```{tag}\n{code[:room]}\n[truncated]\n```\n\n{question}\n"
