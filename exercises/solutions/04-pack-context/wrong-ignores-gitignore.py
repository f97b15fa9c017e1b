# The first version everyone writes: pack every text file and forget .gitignore, so
# secrets.env (and its API key) goes straight into the chat window.
import fnmatch

from codegen_hero.exercises.tokens import approx_tokens

MAX_FILE_CHARS = 20_000


def pack_repo(files, gitignore, budget_tokens, priority):
    texts = {}
    for path, content in files.items():
        if isinstance(content, bytes):
            if b"\0" in content:
                continue
            try:
                content = content.decode("utf-8")
            except UnicodeDecodeError:
                continue
        if len(content) <= MAX_FILE_CHARS:
            texts[path] = content
    first = []
    for entry in priority:
        first += [p for p in sorted(texts) if p not in first and fnmatch.fnmatch(p, entry)]
    result = ""
    for path in first + [p for p in sorted(texts) if p not in first]:
        block = f"=== {path} ===\n{texts[path]}\n"
        if approx_tokens(result + block) <= budget_tokens:
            result += block
    return result
