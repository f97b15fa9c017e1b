def classify_attempt(answer_text: str, result: dict | None) -> str:
    """Precedence: no code at all, then a cut-off answer, then what the sandbox saw."""
    if result is None:
        return "no-code"
    if result.get("finish_reason") == "length":
        return "cut-off"  # incomplete code: its status says nothing about the logic
    status = result.get("status")
    if status == "ok":
        return "works"
    if status == "fail":
        return "wrong-logic"
    return "does-not-run"  # error, timeout, killed
