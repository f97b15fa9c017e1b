# The usual first loop: green, budget and an iteration cap, but nothing notices an agent that
# keeps failing the same tests, so it runs (and bills) until the iteration limit.
def run_agent(step, budget_usd: float, max_iterations: int, patience: int) -> dict:
    spent = 0.0
    most_expensive = 0.0
    iterations = 0
    for iteration in range(1, max_iterations + 1):
        if spent + most_expensive > budget_usd:
            return {"reason": "budget", "iterations": iterations, "spent": spent}
        result = step(iteration)
        iterations = iteration
        spent += result["cost"]
        most_expensive = max(most_expensive, result["cost"])
        if result["tests_passed"] == result["tests_total"]:
            return {"reason": "tests green", "iterations": iterations, "spent": spent}
    return {"reason": "iterations", "iterations": iterations, "spent": spent}
