# Checks the budget only after paying for the step: the step that crosses the line has
# already been bought, so the spend ends above the budget.
def run_agent(step, budget_usd: float, max_iterations: int, patience: int) -> dict:
    spent = 0.0
    best = None
    stale = 0
    for iteration in range(1, max_iterations + 1):
        result = step(iteration)
        spent += result["cost"]
        passed = result["tests_passed"]
        if passed == result["tests_total"]:
            return {"reason": "tests green", "iterations": iteration, "spent": spent}
        if best is None or passed > best:
            best, stale = passed, 0
        else:
            stale += 1
        if stale >= patience:
            return {"reason": "no progress", "iterations": iteration, "spent": spent}
        if spent >= budget_usd:
            return {"reason": "budget", "iterations": iteration, "spent": spent}
    return {"reason": "iterations", "iterations": max_iterations, "spent": spent}
