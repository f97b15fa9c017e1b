# Commits every edit, then runs the tests: "commit early, commit often" taken too literally,
# so red code lands in the history and the last good state is lost.
def edit_test_loop(model, run_tests, commit, task, max_iterations):
    prompt = task
    for n in range(1, max_iterations + 1):
        code = model(prompt)
        commit(code, f"attempt {n}")
        passed, output = run_tests(code)
        if passed:
            return {"status": "green", "iterations": n}
        prompt = f"{task}\n\nThe tests failed:\n{output}"
    return {"status": "gave up", "iterations": max_iterations}
