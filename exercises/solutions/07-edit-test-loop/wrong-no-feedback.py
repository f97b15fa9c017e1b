# Retries with the same prompt: the model never learns why its last attempt failed,
# so it is just re-rolling the dice.
def edit_test_loop(model, run_tests, commit, task, max_iterations):
    for n in range(1, max_iterations + 1):
        code = model(task)
        passed, _output = run_tests(code)
        if passed:
            commit(code, f"Implement: {task}")
            return {"status": "green", "iterations": n}
    return {"status": "gave up", "iterations": max_iterations}
