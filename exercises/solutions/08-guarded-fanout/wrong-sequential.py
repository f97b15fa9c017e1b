# A plain loop: the budget guard is right, but one call at a time, so five sessions take
# five times as long as they need to.
def fan_out(tasks, call, max_concurrency, budget_usd):
    results, spent, estimate = [], 0.0, 0.0
    for task in tasks:
        if spent + estimate > budget_usd:
            results.append({"task": task, "status": "skipped", "reason": "budget"})
            continue
        answer, cost = call(task)
        spent += cost
        estimate = max(estimate, cost)
        results.append({"task": task, "status": "done", "answer": answer, "cost": cost})
    return results
