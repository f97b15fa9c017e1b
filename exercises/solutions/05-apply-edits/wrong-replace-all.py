# Uses str.replace on every occurrence: a SEARCH that matches twice is not refused, so the
# model's edit lands in places it never meant (here: both `return counts` lines).
SEARCH, DIVIDER, REPLACE = "<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE"


def apply_edits(files, edits):
    new = dict(files)
    lines = edits.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() != SEARCH:
            continue
        path = lines[i - 1].strip()
        divider = next(j for j in range(i, len(lines)) if lines[j].strip() == DIVIDER)
        end = next(j for j in range(divider, len(lines)) if lines[j].strip() == REPLACE)
        search = "".join(lines[i + 1 : divider])
        replace = "".join(lines[divider + 1 : end])
        if path not in new:
            if search:
                raise ValueError(f"{path}: no such file")
            new[path] = replace
        elif search not in new[path]:
            raise ValueError(f"{path}: SEARCH text not found")
        else:
            new[path] = new[path].replace(search, replace)
    return new
