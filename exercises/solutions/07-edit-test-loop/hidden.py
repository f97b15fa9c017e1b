"""Hidden cases of 07-edit-test-loop: scripts with other tasks, lengths and limits."""

from codegen_hero.exercises.ex07_edit_test_loop import Scenario

SCENARIOS: list[Scenario] = [
    (
        "hidden script: green on second of four",
        "Make word_count(text) ignore punctuation (ticket #4411).",
        ["def word_count(t): return len(t.split())", "import re  # v2", "# v3", "# v4"],
        ["import re  # v2"],
        4,
        True,
    ),
    (
        "hidden script: gives up at 2 with a longer script",
        "Add retry with backoff to fetch_quota() (ticket #9027).",
        ["# try 1", "# try 2", "# try 3", "# try 4"],
        [],
        2,
        True,
    ),
]
