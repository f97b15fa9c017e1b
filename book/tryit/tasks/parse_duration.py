def parse_duration(text: str) -> int:
    """Seconds in a duration like "1h30m", "45s" or "2h"; ValueError for anything else."""
    raise NotImplementedError
