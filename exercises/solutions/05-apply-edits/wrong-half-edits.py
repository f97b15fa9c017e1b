# Applies each block straight to the dict it was given and raises when one fails: the
# blocks before the failure stay applied, so the caller's files are half edited.
SEARCH, DIVIDER, REPLACE = "<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE"


def apply_edits(files, edits):
    lines = edits.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() != SEARCH:
            continue
        path = lines[i - 1].strip()
        divider = next(j for j in range(i, len(lines)) if lines[j].strip() == DIVIDER)
        end = next(j for j in range(divider, len(lines)) if lines[j].strip() == REPLACE)
        search = "".join(lines[i + 1 : divider])
        replace = "".join(lines[divider + 1 : end])
        if path not in files:
            if search:
                raise ValueError(f"{path}: no such file")
            files[path] = replace
            continue
        found = files[path].count(search) if search else 2
        if found != 1:
            raise ValueError(f"{path}: SEARCH text found {found} times")
        files[path] = files[path].replace(search, replace, 1)
    return files
