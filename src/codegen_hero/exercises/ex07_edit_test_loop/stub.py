def edit_test_loop(model, run_tests, commit, task: str, max_iterations: int) -> dict:
    """Ask the model for code, test it, feed failures back, commit once it is green.

    model(prompt) -> code; run_tests(code) -> (passed, output); commit(code, message) -> None.
    Return {"status": "green", "iterations": n} or {"status": "gave up", "iterations": max}.
    """
    raise NotImplementedError("your code here")
