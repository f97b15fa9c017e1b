from codegen_hero.exercises.tokens import approx_tokens  # how the checker counts


def build_review_prompt(
    code: str, filename: str, question: str, focus_line: int, budget_tokens: int
) -> str:
    """Return a chat prompt asking one precise question about one line of one file.

    It carries the file name, the code in a fenced block tagged with the language (.py
    python, .js javascript, .go go, otherwise no tag) and the question, in at most
    budget_tokens tokens. If the whole file does not fit, keep the function around
    focus_line (counted from 1), the import lines and as much around them as fits, whole
    lines in the file's order, with a line saying "omitted" wherever lines were left out.
    """
    raise NotImplementedError("your code here")
