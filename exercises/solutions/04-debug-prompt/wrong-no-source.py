# Only the error message: short, but the model has to guess what the code does.
def build_debug_prompt(traceback_text, sources, budget_tokens):
    error = traceback_text.strip().splitlines()[-1]
    return f"Why do I get this error? {error}"
