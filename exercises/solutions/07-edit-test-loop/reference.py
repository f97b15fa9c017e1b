def edit_test_loop(model, run_tests, commit, task: str, max_iterations: int) -> dict:
    """Ask, test, and either commit (green) or feed the failure back (red)."""
    prompt = f"{task}\n\nReply with the complete code only."
    for n in range(1, max_iterations + 1):
        code = model(prompt)
        passed, output = run_tests(code)
        if passed:
            commit(code, f"{task.splitlines()[0][:60]} (green after {n} attempt(s))")
            return {"status": "green", "iterations": n}
        prompt = (
            f"{task}\n\nYour last attempt failed the tests:\n\n{output}\n\n"
            "Fix the code and reply with the complete code only."
        )
    return {"status": "gave up", "iterations": max_iterations}
