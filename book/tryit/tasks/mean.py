def mean(values: list[float]) -> float:
    """The arithmetic mean of values; 0.0 for an empty list."""
    if not values:
        return 0.0
    raise NotImplementedError
