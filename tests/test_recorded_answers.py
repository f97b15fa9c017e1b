"""The replayed model answers are bound to the registry's default model file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codegen_hero.models.cache import ResponseCache
from codegen_hero.models.request import Request
from tests import recorded_answers
from tests.recorded_answers import default_model_file, recording_line, replay_recorded_answers


def _recording(folder: Path, sha256: str) -> None:
    request = Request.of("Write parse_date.", max_tokens=50).to_json()
    completion = {"text": "def parse_date(s): ...", "finish_reason": "stop", "latency_s": 1.0}
    folder.mkdir()
    (folder / "x.jsonl").write_text(recording_line(request, completion, sha256) + "\n")


def test_a_recorded_answer_replays_for_the_default_model(tmp_path, monkeypatch):
    model, sha256 = default_model_file()
    _recording(tmp_path / "recorded", sha256)
    monkeypatch.setattr(recorded_answers, "RECORDED", tmp_path / "recorded")
    assert replay_recorded_answers(tmp_path / "cache.sqlite3") == 1
    answer = ResponseCache(tmp_path / "cache.sqlite3").get(
        model, Request.of("Write parse_date.", max_tokens=50)
    )
    assert answer is not None and answer.text == "def parse_date(s): ..." and answer.model == model


def test_a_recording_from_another_model_file_is_refused(tmp_path, monkeypatch):
    _recording(tmp_path / "recorded", "0" * 64)
    monkeypatch.setattr(recorded_answers, "RECORDED", tmp_path / "recorded")
    with pytest.raises(RuntimeError, match="another model file"):
        replay_recorded_answers(tmp_path / "cache.sqlite3")


def test_the_shipped_recordings_name_no_model():
    for path in recorded_answers.RECORDED.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            assert set(json.loads(line)) == {"model_sha256", "request", "completion"}
