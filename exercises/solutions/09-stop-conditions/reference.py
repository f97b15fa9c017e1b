def run_agent(step, budget_usd: float, max_iterations: int, patience: int) -> dict:
    spent = 0.0
    most_expensive = 0.0  # the estimate of the next step's cost
    best = None
    stale = 0
    iterations = 0
    for iteration in range(1, max_iterations + 1):
        if spent + most_expensive > budget_usd:
            return {"reason": "budget", "iterations": iterations, "spent": spent}
        result = step(iteration)
        iterations = iteration
        spent += result["cost"]
        most_expensive = max(most_expensive, result["cost"])
        passed = result["tests_passed"]
        if passed == result["tests_total"]:
            return {"reason": "tests green", "iterations": iterations, "spent": spent}
        if best is None or passed > best:
            best, stale = passed, 0
        else:
            stale += 1
        if stale >= patience:
            return {"reason": "no progress", "iterations": iterations, "spent": spent}
    return {"reason": "iterations", "iterations": iterations, "spent": spent}
