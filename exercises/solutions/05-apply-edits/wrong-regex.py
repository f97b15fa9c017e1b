# Escapes the SEARCH text for a regular expression but passes REPLACE to re.sub as is:
# a model's replacement that holds `\1` (say, in a regex it writes) breaks or corrupts it.
import re

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
            continue
        found = len(re.findall(re.escape(search), new[path])) if search else 2
        if found != 1:
            raise ValueError(f"{path}: SEARCH text found {found} times")
        new[path] = re.sub(re.escape(search), replace, new[path], count=1)
    return new
