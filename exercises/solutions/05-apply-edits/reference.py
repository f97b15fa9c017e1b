SEARCH, DIVIDER, REPLACE = "<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE"


def parse_blocks(edits):
    """(path, search, replace) for each block; text outside the blocks is ignored."""
    lines = edits.splitlines(keepends=True)
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].rstrip("\r\n") != SEARCH:
            i += 1
            continue
        if i == 0:
            raise ValueError("a SEARCH block has no file path before it")
        path = lines[i - 1].strip()
        parts = {"search": [], "replace": []}
        section = "search"
        i += 1
        while i < len(lines) and lines[i].rstrip("\r\n") != REPLACE:
            if section == "search" and lines[i].rstrip("\r\n") == DIVIDER:
                section = "replace"
            else:
                parts[section].append(lines[i])
            i += 1
        if i == len(lines) or section != "replace":
            raise ValueError(f"{path}: unfinished SEARCH/REPLACE block")
        blocks.append((path, "".join(parts["search"]), "".join(parts["replace"])))
        i += 1
    return blocks


def apply_edits(files, edits):
    new = dict(files)  # str is immutable: editing `new` never touches `files`
    for path, search, replace in parse_blocks(edits):
        if path not in new:
            if search == "":
                new[path] = replace
                continue
            raise ValueError(f"{path}: no such file")
        found = new[path].count(search) if search else len(new[path]) + 1
        if found == 0:
            raise ValueError(f"{path}: SEARCH text not found:\n{search}")
        if found > 1:
            raise ValueError(f"{path}: SEARCH text is ambiguous, found {found} times:\n{search}")
        new[path] = new[path].replace(search, replace, 1)
    return new
