from collections.abc import Callable


def retry(action: Callable[[], object], attempts: int) -> object:
    """Call action until it returns without raising, at most `attempts` times.

    Return its result; when every attempt fails, raise the last exception.
    """
    raise NotImplementedError
