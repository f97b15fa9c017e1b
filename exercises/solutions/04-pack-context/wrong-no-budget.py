# Filters carefully but never counts tokens: the pack overflows the context window.
import fnmatch

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
    rest = [p for p in sorted(texts) if p not in first]
    return "".join(f"=== {path} ===\n{texts[path]}\n" for path in first + rest)
