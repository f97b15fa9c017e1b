# Budget and concurrency are right, but results are appended as calls finish, so the list
# comes back in finishing order and no longer lines up with the tasks.
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def fan_out(tasks, call, max_concurrency, budget_usd):
    results, pending = [], {}
    spent, estimate = 0.0, None

    def settle(done):
        nonlocal spent, estimate
        for future in done:
            task = pending.pop(future)
            answer, cost = future.result()
            spent += cost
            estimate = cost if estimate is None else max(estimate, cost)
            results.append({"task": task, "status": "done", "answer": answer, "cost": cost})

    def fits():
        if len(pending) >= max_concurrency:
            return False
        if estimate is None:
            return not pending
        return spent + (len(pending) + 1) * estimate <= budget_usd

    with ThreadPoolExecutor(max_workers=max_concurrency) as pool:
        skipped = []
        for task in tasks:
            while not skipped and not fits() and pending:
                settle(wait(pending, return_when=FIRST_COMPLETED)[0])
            if skipped or not fits():
                skipped.append({"task": task, "status": "skipped", "reason": "budget"})
                continue
            pending[pool.submit(call, task)] = task
        while pending:
            settle(wait(pending, return_when=FIRST_COMPLETED)[0])
    return results + skipped
