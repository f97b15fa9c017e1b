"""Signs, read from the source alone, that a submission reaches for the grader's side.

The sandbox already hides the answer key, so such code finds nothing; this scan only lets
the verdict say why it earned nothing. It reads the code (and any string holding code, such
as a TESTS answer) and never runs it. An exercise's own module stays importable: its sample
data is for learners (several exercises say to import it); the grader's machinery and the
answer key are not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codegen_hero import pysyntax

GRADER_MODULES = (
    "codegen_hero.exercises.answer_key",
    "codegen_hero.exercises.checking",
    "codegen_hero.exercises.submission",
    "codegen_hero.exercises.framework",
    "codegen_hero.exercises.integrity",
    "codegen_hero.workshop",
)
# Names of the package that learners may import in an answer (the notebook's own helpers).
ALLOWED_FROM_PACKAGE = {"hints"}
GRADER_PATHS = ("exercises/solutions", "hidden.py", "reference.py", "HERO_SOLUTIONS_DIR", "/proc/")
MAX_DEPTH = 3


def concerns(code: str) -> str:
    """Why this code reaches for the grader (one line), or "" when it does not."""
    return next(_reasons(code, 0), "")


def _reasons(code: str, depth: int) -> Iterator[str]:
    try:
        tree = pysyntax.parse(code)
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_grader(alias.name):
                    yield f"imports the grader's {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _is_grader(node.module):
                yield f"imports the grader's {node.module}"
            if node.module == "codegen_hero.exercises":
                taken = {a.name for a in node.names} - ALLOWED_FROM_PACKAGE
                if taken:
                    yield f"imports the checker ({', '.join(sorted(taken))})"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            path = next((p for p in GRADER_PATHS if p in node.value), "")
            if path:
                yield f"looks for the answer key ({path!r})"
            elif depth < MAX_DEPTH and "\n" in node.value:
                yield from _reasons(node.value, depth + 1)  # a string of code: TESTS


def _is_grader(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in GRADER_MODULES)
