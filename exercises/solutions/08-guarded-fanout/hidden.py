"""Hidden cases of 08-guarded-fanout: mixed costs, wider and narrower concurrency."""

from codegen_hero.exercises.ex08_guarded_fanout import Scenario, tasks

SCENARIOS: dict[str, Scenario] = {
    "hidden: mixed costs": (
        *tasks("fix", [0.20, 0.05, 0.15, 0.10, 0.05, 0.20, 0.10, 0.05], [0.06, 0.04] * 4),
        2,
        0.63,
        True,
    ),
    "hidden: many cheap tasks, five at a time": (
        *tasks("lint", [0.002] * 12, [0.07, 0.04, 0.05] * 4),
        5,
        0.50,
        True,
    ),
    "hidden: one at a time": (*tasks("plan", [0.05] * 3, [0.04] * 3), 1, 1.00, True),
}
