# Counts tokens, but `break`s at the first file that does not fit: the small files after a
# big one are lost although there was room for them.
import fnmatch

from codegen_hero.exercises.tokens import approx_tokens

MAX_FILE_CHARS = 20_000


def ignored(path, gitignore):
    verdict = False
    for line in gitignore.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!")
        parts = path.split("/")
        names = parts[:-1] if pattern.endswith("/") else parts
        if any(fnmatch.fnmatch(name, pattern.rstrip("/")) for name in names):
            verdict = not negated
    return verdict


def pack_repo(files, gitignore, budget_tokens, priority):
    texts = {}
    for path, content in files.items():
        if ignored(path, gitignore):
            continue
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
        if approx_tokens(result + block) > budget_tokens:
            break
        result += block
    return result
