# Concurrent and in order, but nobody watches the money: every task runs whatever it costs.
from concurrent.futures import ThreadPoolExecutor


def fan_out(tasks, call, max_concurrency, budget_usd):
    with ThreadPoolExecutor(max_workers=max_concurrency) as pool:
        outcomes = list(pool.map(call, tasks))
    return [
        {"task": task, "status": "done", "answer": answer, "cost": cost}
        for task, (answer, cost) in zip(tasks, outcomes, strict=True)
    ]
