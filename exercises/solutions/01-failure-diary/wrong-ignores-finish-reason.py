# Trusts the sandbox status alone: an answer cut off at max_tokens is filed as if the model
# had finished (usually "does-not-run"), so the diary never says "raise max_tokens".
def classify_attempt(answer_text, result):
    if result is None:
        return "no-code"
    status = result["status"]
    if status == "ok":
        return "works"
    if status == "fail":
        return "wrong-logic"
    return "does-not-run"
