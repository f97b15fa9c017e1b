"""Sandbox-side test doubles: run beside the learner's code, whose names are in scope.

Written at the top of the sandbox's test file (see Submission.probe); learners may read it.
"""

import sys as _sys


def _run_suite(tests_source, function_source):
    """(test names, failing test -> message) for the learner's tests against one version."""
    space = {"__name__": "suite"}
    exec(function_source, space)
    solution = _sys.modules.get("solution")
    if solution is not None:
        solution.discount = space["discount"]  # `from solution import discount` works too
    try:
        exec(tests_source, space)
    except BaseException as exc:  # pytest's Failed is not an Exception
        return [], {"<module>": f"{type(exc).__name__}: {exc}"[:200]}
    names, failures = [], {}
    for name, test in list(space.items()):
        if name.startswith("test_") and callable(test):
            names.append(name)
            try:
                test()
            except BaseException as exc:  # pytest.raises fails with a BaseException
                failures[name] = f"{type(exc).__name__}: {exc}"[:200]
    return names, failures


def _report(tests_source, reference, versions):
    names, failures = _run_suite(tests_source, reference)
    return {
        "names": names,
        "reference": failures,
        "killed": {
            label: bool(_run_suite(tests_source, src)[1]) for label, src in versions.items()
        },
    }
