"""Pieces of the in-sandbox harness that are easiest to check directly."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from codegen_hero.sandbox import harness


def raised(code: str) -> BaseException:
    try:
        exec(compile(code, "<test>", "exec"), {})
    except BaseException as exc:  # noqa: BLE001 - we want whatever it raised
        return exc
    raise AssertionError("nothing was raised")


def test_bare_assert_shows_its_source_line(tmp_path: Path) -> None:
    source = tmp_path / "check.py"
    source.write_text("x = 1\nassert x == 2\n")  # a real file, so the line can be looked up
    try:
        exec(compile(source.read_text(), str(source), "exec"), {})
    except AssertionError as exc:
        assert harness.short_message(exc) == "AssertionError: assert x == 2"
    else:
        raise AssertionError("the snippet did not fail")


def test_assert_with_message_uses_the_message() -> None:
    assert harness.short_message(raised("assert False, 'wanted 3'")) == "AssertionError: wanted 3"


def test_system_exit_in_a_test_is_named() -> None:
    assert "SystemExit(0)" in harness.short_message(SystemExit(0))


def test_long_messages_are_cut_to_one_line() -> None:
    message = harness.short_message(ValueError("x\n" * 500))
    assert "\n" not in message and len(message) <= harness.MESSAGE_LIMIT


def test_report_is_signed_and_the_key_is_gone(tmp_path: Path) -> None:
    key = b"k" * 32
    (tmp_path / "key").write_bytes(key)
    report = harness.make_reporter(str(tmp_path))
    assert not (tmp_path / "key").exists()
    report({"outcome": "tests", "passed": ["test_a"]})
    envelope = json.loads((tmp_path / "result.json").read_text())
    expected = hmac.new(key, envelope["payload"].encode(), hashlib.sha256).hexdigest()
    assert envelope["mac"] == expected
    assert json.loads(envelope["payload"])["passed"] == ["test_a"]


def test_describe_keeps_errno_for_os_errors() -> None:
    assert harness.describe(OSError(27, "File too large"))["errno"] == 27
    assert harness.describe(ValueError("x"))["errno"] is None
