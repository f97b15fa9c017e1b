from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def fan_out(tasks: list[str], call, max_concurrency: int, budget_usd: float) -> list[dict]:
    """Launch in order from this thread; threads run the calls; costs are settled here."""
    results: list[dict | None] = [None] * len(tasks)
    pending: dict = {}  # future -> task index
    spent, estimate = 0.0, None

    def settle(done) -> None:
        nonlocal spent, estimate
        for future in done:
            index = pending.pop(future)
            answer, cost = future.result()
            spent += cost
            estimate = cost if estimate is None else max(estimate, cost)
            results[index] = {
                "task": tasks[index],
                "status": "done",
                "answer": answer,
                "cost": cost,
            }

    def fits() -> bool:
        if len(pending) >= max_concurrency:
            return False
        if estimate is None:  # nothing known yet: only a lone first call
            return not pending
        return spent + (len(pending) + 1) * estimate <= budget_usd

    with ThreadPoolExecutor(max_workers=max(1, max_concurrency)) as pool:
        stopped = False
        for index, task in enumerate(tasks):
            while not stopped and not fits() and pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                settle(done)
            if stopped or not fits():
                stopped = True
                results[index] = {"task": task, "status": "skipped", "reason": "budget"}
                continue
            pending[pool.submit(call, task)] = index
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            settle(done)
    return results
