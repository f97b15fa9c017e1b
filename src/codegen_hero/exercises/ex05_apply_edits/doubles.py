"""Sandbox-side test doubles: run beside the learner's code, whose names are in scope.

Written at the top of the sandbox's test file (see Submission.probe); learners may read it.
"""

import copy as _hero_copy


def _hero_apply(files, edits):
    given = _hero_copy.deepcopy(files)
    try:
        result = apply_edits(given, edits)
    except ValueError as exc:
        return {"error": str(exc), "input_unchanged": given == files}
    if not isinstance(result, dict):
        return {"bad_type": type(result).__name__, "input_unchanged": given == files}
    return {"ok": result, "input_unchanged": given == files, "new_dict": result is not given}
