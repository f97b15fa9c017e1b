import fnmatch

from codegen_hero.exercises.tokens import approx_tokens

MAX_FILE_CHARS = 20_000


def parse_gitignore(text):
    """(pattern, negated, directory_only) for each rule, in file order."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        directory_only = line.endswith("/")
        rules.append((line.rstrip("/"), negated, directory_only))
    return rules


def is_ignored(path, rules):
    parts = path.split("/")
    ignored = False
    for pattern, negated, directory_only in rules:
        names = parts[:-1] if directory_only else parts
        if any(fnmatch.fnmatch(name, pattern) for name in names):
            ignored = not negated  # the last matching rule wins
    return ignored


def as_text(content):
    """The file as text, or None when it is binary."""
    if isinstance(content, str):
        return content
    if b"\0" in content:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def ordered(paths, priority):
    first = []
    for entry in priority:
        first += [p for p in sorted(paths) if p not in first and fnmatch.fnmatch(p, entry)]
    return first + [p for p in sorted(paths) if p not in first]


def pack_repo(files, gitignore, budget_tokens, priority):
    rules = parse_gitignore(gitignore)
    texts = {}
    for path, content in files.items():
        if is_ignored(path, rules):
            continue
        text = as_text(content)
        if text is None or len(text) > MAX_FILE_CHARS:
            continue
        texts[path] = text
    result = ""
    for path in ordered(texts, priority):
        text = texts[path]
        block = f"=== {path} ===\n{text}" + ("" if text.endswith("\n") else "\n")
        if approx_tokens(result + block) <= budget_tokens:
            result += block  # a file that does not fit is skipped whole; smaller ones follow
    return result
