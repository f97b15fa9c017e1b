def dedupe(items: list) -> list:
    """items without repeats, each kept at its first position; the input is not changed."""
    raise NotImplementedError
