# "Keep going until it is green": no limit, so a model that cannot solve the task is asked
# again and again (here the scripted model runs out of answers and raises).
def edit_test_loop(model, run_tests, commit, task, max_iterations):
    prompt, n = task, 0
    while True:
        n += 1
        code = model(prompt)
        passed, output = run_tests(code)
        if passed:
            commit(code, f"Implement: {task}")
            return {"status": "green", "iterations": n}
        prompt = f"{task}\n\nThe tests failed:\n{output}"
