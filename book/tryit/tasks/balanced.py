def balanced(text: str) -> bool:
    """True when every (, [ and { in text is closed by its partner, in the right order."""
    raise NotImplementedError
