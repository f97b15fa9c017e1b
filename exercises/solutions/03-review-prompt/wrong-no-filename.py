# Pastes the code and the question but not the file name: the model has to guess what the
# file is and where it sits in the project.
import os

from codegen_hero.exercises.tokens import approx_tokens

TAGS = {".py": "python", ".js": "javascript", ".go": "go"}


def build_review_prompt(code, filename, question, budget_tokens):
    tag = TAGS.get(os.path.splitext(filename)[1], "")
    lines = code.splitlines()
    kept = []
    for line in lines:
        trial = "\n".join([*kept, line])
        if approx_tokens(trial) + approx_tokens(question) + 30 > budget_tokens:
            break
        kept.append(line)
    if len(kept) < len(lines):
        kept.append("# ... truncated")
    body = "\n".join(kept)
    return f"```{tag}\n{body}\n```\n\n{question}\n"
