def fan_out(tasks: list[str], call, max_concurrency: int, budget_usd: float) -> list[dict]:
    """Run call(task) -> (answer, cost_usd) for many tasks at once, under a spend limit.

    Return one dict per task, in task order:
    {"task": t, "status": "done", "answer": a, "cost": c} or
    {"task": t, "status": "skipped", "reason": "budget"}.
    """
    raise NotImplementedError("your code here")
