def apply_edits(files: dict[str, str], edits: str) -> dict[str, str]:
    """Apply every SEARCH/REPLACE block in `edits` to a copy of `files`; return the copy.

    Raise ValueError (naming the file) if any block cannot be applied exactly once;
    then nothing changes: `files` stays as it was and no result is returned.
    """
    raise NotImplementedError("your code here")
