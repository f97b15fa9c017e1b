# Keeps a fixed window of lines around the focus line (and the imports): the model sees the
# line asked about, but not where its function starts, so not its name or its arguments.
import os

TAGS = {".py": "python", ".js": "javascript", ".go": "go"}


def build_review_prompt(code, filename, question, focus_line, budget_tokens):
    tag = TAGS.get(os.path.splitext(filename)[1], "")
    lines = code.splitlines()
    if len(code) // 4 + 60 < budget_tokens:
        keep = set(range(len(lines)))
    else:
        imports = {n for n, line in enumerate(lines) if line.startswith(("import ", "from "))}
        keep = imports | set(range(max(0, focus_line - 4), min(len(lines), focus_line + 3)))
    body, gap = [], False
    for number, line in enumerate(lines):
        if number in keep:
            if gap:
                body.append("# ... omitted")
            body.append(line)
            gap = False
        else:
            gap = True
    if gap:
        body.append("# ... omitted")
    text = "\n".join(body)
    return f"File: {filename}\n\n```{tag}\n{text}\n```\n\nQuestion: {question}\n"
