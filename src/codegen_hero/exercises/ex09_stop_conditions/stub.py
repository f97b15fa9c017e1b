def run_agent(step, budget_usd: float, max_iterations: int, patience: int) -> dict:
    """Call step(1), step(2), ... until a stop condition holds; say which one, and the cost.

    step(iteration) returns {"cost": float, "tests_passed": int, "tests_total": int}.
    Return {"reason": "tests green" | "budget" | "iterations" | "no progress",
            "iterations": steps run, "spent": total cost of those steps}.
    """
    raise NotImplementedError("your code here")
