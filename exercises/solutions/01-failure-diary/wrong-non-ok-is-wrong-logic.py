# The two-bucket diary: "it passed" or "the logic is wrong". Code that never ran (a syntax
# error, a missing module, a timeout) gets blamed on the model's reasoning.
def classify_attempt(answer_text, result):
    if result is None:
        return "no-code"
    if result["finish_reason"] == "length":
        return "cut-off"
    if result["status"] == "ok":
        return "works"
    return "wrong-logic"
