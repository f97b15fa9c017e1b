from codegen_hero.exercises.tokens import approx_tokens  # how the checker counts


def build_review_prompt(code: str, filename: str, question: str, budget_tokens: int) -> str:
    """Return a chat prompt asking one precise question about one file.

    It carries the file name, the code verbatim in a fenced block tagged with the language
    (.py python, .js javascript, .go go, otherwise no tag) and the question, in at most
    budget_tokens tokens; if the code does not fit, cut it at a line boundary and add a
    line that says it was truncated.
    """
    raise NotImplementedError("your code here")
