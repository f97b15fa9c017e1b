def next_task(todo: str) -> str | None:
    """The text of the first unchecked "- [ ] ..." line of a todo.md, or None when all are done."""
    raise NotImplementedError
