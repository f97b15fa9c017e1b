# The common first attempt: paste everything and ask. It ignores the budget.
def build_debug_prompt(traceback_text, sources, budget_tokens):
    files = "\n\n".join(f"# {name}\n{text}" for name, text in sources.items())
    return f"WHY CODE BROKE?? Here is my code:\n\n{files}\n\nAnd the error:\n{traceback_text}"
