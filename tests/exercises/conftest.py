"""The model answers exercise checkers ask for, replayed: CI never calls a model.

Exercise 10's checker runs the learner's prompt on the default model through the response
cache. `recorded/` holds those answers, recorded from the real default model: run the
checker on each solution with HERO_CACHE=record, `hero cache export` the cache, then
`python -m tests.recorded_answers export.jsonl tests/exercises/recorded/<exercise>.jsonl`.
Every exercise test gets them stored in its own cache, with HERO_CACHE=replay, so a prompt
nobody recorded fails with the cache's one-line error instead of loading a model. Child
processes (papermill kernels) inherit both variables.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.recorded_answers import replay_recorded_answers


@pytest.fixture(autouse=True)
def replayed_model_answers(isolated_hero: None, monkeypatch: pytest.MonkeyPatch) -> None:
    replay_recorded_answers(Path(os.environ["HERO_CACHE_PATH"]))
    monkeypatch.setenv("HERO_CACHE", "replay")
