def classify_attempt(answer_text: str, result: dict | None) -> str:
    """File one model attempt into the diary: one of the five categories.

    answer_text: what the model answered, word for word.
    result: None when the answer held no code to run; otherwise a dict with
        status ("ok" | "fail" | "error" | "timeout" | "killed"), tests_passed (list),
        tests_failed (list), reason (str) and finish_reason ("stop" | "length").
    Returns "works", "wrong-logic", "does-not-run", "no-code" or "cut-off".
    """
    raise NotImplementedError("your code here")
