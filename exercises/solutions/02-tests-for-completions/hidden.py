"""The answer key of 02-tests-for-completions: correct medians and the hidden buggy ones."""

from codegen_hero.exercises.ex02_tests_for_completions import Completion

CORRECT = """def median(values):
    if not values:
        raise ValueError("median of an empty list")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
"""
# Written another way, so tests that pin one implementation's details (not the behaviour) fail.
ANOTHER_CORRECT = """import statistics


def median(values):
    if len(values) == 0:
        raise ValueError("median of an empty list")
    return float(statistics.median(list(values)))
"""

HIDDEN: tuple[Completion, ...] = (
    Completion(
        "returns the mean instead of the median",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    return sum(values) / len(values)\n",
        True,
    ),
    Completion(
        "raises IndexError instead of ValueError on empty input",
        "def median(values):\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2:\n"
        "        return float(ordered[middle])\n"
        "    return (ordered[middle - 1] + ordered[middle]) / 2\n",
        True,
    ),
    Completion(
        "rejects a single value",
        "def median(values):\n"
        "    if len(values) < 2:\n"
        "        raise ValueError('median needs at least two values')\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2:\n"
        "        return float(ordered[middle])\n"
        "    return (ordered[middle - 1] + ordered[middle]) / 2\n",
        True,
    ),
    Completion(
        "sorts the caller's list in place",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    values.sort()\n"
        "    middle = len(values) // 2\n"
        "    if len(values) % 2:\n"
        "        return float(values[middle])\n"
        "    return (values[middle - 1] + values[middle]) / 2\n",
        True,
    ),
    Completion(
        "ignores the even case (always the upper middle value)",
        "def median(values):\n"
        "    if not values:\n"
        "        raise ValueError('median of an empty list')\n"
        "    return float(sorted(values)[len(values) // 2])\n",
        True,
    ),
)
