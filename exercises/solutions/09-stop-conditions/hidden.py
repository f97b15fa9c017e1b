"""Hidden cases of 09-stop-conditions: scripts the learner never sees."""

from codegen_hero.exercises.ex09_stop_conditions import Scenario

SCENARIOS = (
    Scenario(
        "hidden: a drop then a climb back to the old best is still no progress",
        ((0.125, 4, 8), (0.125, 1, 8), (0.125, 3, 8), (0.125, 4, 8), (0.125, 5, 8)),
        budget=5.0,
        max_iterations=5,
        patience=3,
        hidden=True,
    ),
    Scenario(
        "hidden: no progress and the iteration limit on the same step",
        ((0.25, 2, 5), (0.25, 2, 5), (0.25, 2, 5), (0.25, 2, 5)),
        budget=5.0,
        max_iterations=3,
        patience=2,
        hidden=True,
    ),
    Scenario(
        "hidden: green on the first step",
        ((1.5, 7, 7), (1.5, 7, 7)),
        budget=2.0,
        max_iterations=4,
        patience=1,
        hidden=True,
    ),
    Scenario(
        "hidden: rising costs and a budget that runs out between steps",
        ((0.25, 1, 9), (0.5, 2, 9), (1.0, 3, 9), (0.25, 4, 9), (0.25, 5, 9), (0.25, 6, 9)),
        budget=2.5,
        max_iterations=6,
        patience=2,
        hidden=True,
    ),
)
