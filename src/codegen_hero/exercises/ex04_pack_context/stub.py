import fnmatch

from codegen_hero.exercises.tokens import approx_tokens  # how the checker counts

MAX_FILE_CHARS = 20_000


def pack_repo(
    files: dict[str, str | bytes], gitignore: str, budget_tokens: int, priority: list[str]
) -> str:
    """Pack the files worth showing a model into one text of at most budget_tokens tokens.

    files: path (with "/" separators) -> content; bytes may be binary.
    gitignore: the text of the repository's .gitignore.
    priority: exact paths or fnmatch patterns, most important first.
    """
    raise NotImplementedError("your code here")
