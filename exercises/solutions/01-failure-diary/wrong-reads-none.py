# Reads the finish reason before checking for a missing result: every refusal or prose-only
# answer (result None) crashes with TypeError instead of landing in "no-code".
def classify_attempt(answer_text, result):
    if result["finish_reason"] == "length":
        return "cut-off"
    if result is None or "```" not in answer_text:
        return "no-code"
    if result["status"] == "ok":
        return "works"
    if result["status"] == "fail":
        return "wrong-logic"
    return "does-not-run"
