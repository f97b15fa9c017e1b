# The copy-paste reflex: the whole file goes in, whatever the budget says.
import os

TAGS = {".py": "python", ".js": "javascript", ".go": "go"}


def build_review_prompt(code, filename, question, focus_line, budget_tokens):
    tag = TAGS.get(os.path.splitext(filename)[1], "")
    return f"Here is {filename}:\n\n```{tag}\n{code}```\n\n{question}\n"
