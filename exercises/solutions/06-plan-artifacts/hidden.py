"""Hidden checks of 06-plan-artifacts: the three documents compared with each other."""

import re
from itertools import combinations

from codegen_hero.exercises.ex06_plan_artifacts import COPY_LIMIT, _names, _stems, words
from codegen_hero.exercises.framework import Case


def cases(spec: str, plan: str, items: list[str], steps: list) -> list[Case]:
    unechoed = [
        f"Step {n}"
        for (n, title, _), item in zip(steps, items, strict=False)
        if _stems(title) and not _stems(title) & _stems(item)
    ]
    copies = []
    for (a, title_a, body_a), (b, title_b, body_b) in combinations(steps, 2):
        set_a, set_b = set(words(body_a)), set(words(body_b))
        overlap = len(set_a & set_b) / max(1, len(set_a | set_b))
        if overlap > COPY_LIMIT or title_a.strip().lower() == title_b.strip().lower():
            copies.append(f"Step {a} ~ Step {b}")
    about = [
        name
        for name, text in (("SPEC", spec), ("PROMPT_PLAN", plan))
        if not (re.search(r"\bwords?\b", text, re.I) and re.search(r"\bfiles?\b", text, re.I))
    ]
    return [
        Case(
            "TODO items echo their step's title",
            bool(items) and len(items) == len(steps) and not unechoed,
            "each item shares a word with its step's title",
            f"no shared word: {_names(unechoed)}",
            hidden=True,
        ),
        Case(
            "PROMPT_PLAN steps are not copies of each other",
            len(steps) > 1 and not copies,
            f"distinct titles, under {COPY_LIMIT:.0%} shared words between steps",
            f"near copies: {_names(copies)}",
            hidden=True,
        ),
        Case(
            "SPEC and PROMPT_PLAN are about wordtally (words in files)",
            not about,
            "both talk about words and files",
            f"not about the idea: {_names(about)}",
            hidden=True,
        ),
    ]
