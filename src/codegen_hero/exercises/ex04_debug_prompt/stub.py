from codegen_hero.exercises.tokens import approx_tokens  # how the checker counts


def build_debug_prompt(traceback_text: str, sources: dict[str, str], budget_tokens: int) -> str:
    """Return a prompt asking a chat model why this code broke.

    traceback_text: the full traceback, as Python printed it.
    sources: file name -> file content, for the files in the traceback that are yours.
    budget_tokens: the prompt must not be longer than this (use approx_tokens).
    """
    raise NotImplementedError("your code here")
