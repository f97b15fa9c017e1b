"""Learners' keys: one each, stable in a private file that llama-server can also read."""

from __future__ import annotations

import stat

import pytest

from codegen_hero.workshop import room_keys
from codegen_hero.workshop.room_keys import KeyFileError


def test_generated_keys_are_distinct_labelled_and_long():
    pairs = room_keys.generate(12)
    labels, keys = zip(*pairs, strict=True)
    assert labels[0] == "learner-01" and labels[-1] == "learner-12"
    assert len(set(keys)) == 12 and all(len(k) > 30 for k in keys)


def test_a_new_file_is_private_and_reread_unchanged(tmp_path):
    path = tmp_path / "keys.txt"
    first, created = room_keys.load_or_create(path, 3)
    again, created_again = room_keys.load_or_create(path, 30)  # the count only applies once
    assert created and not created_again and again == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_llama_server_reads_the_same_file_as_one_key_per_line(tmp_path):
    path = tmp_path / "keys.txt"
    pairs, _ = room_keys.load_or_create(path, 2)
    # llama-server's --api-key-file: every non-empty line not starting with '#' is a key.
    read_by_llama_server = [
        line for line in path.read_text().splitlines() if line and not line.startswith("#")
    ]
    assert read_by_llama_server == [key for _, key in pairs]


def test_names_come_from_the_comment_above_each_key():
    text = "# alice\nhero-room-aaaaaaaaaaaaaaaaaaaa\n\nhero-room-bbbbbbbbbbbbbbbbbbbb\n# carol\n"
    assert room_keys.parse(text) == [
        ("alice", "hero-room-aaaaaaaaaaaaaaaaaaaa"),
        ("learner-02", "hero-room-bbbbbbbbbbbbbbbbbbbb"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("short\n", "at least 16"),
        ("two words-here-long-enough\n", "one word"),
        ("hero-room-aaaaaaaaaaaaaaaa\nhero-room-aaaaaaaaaaaaaaaa\n", "twice"),
        ("# bob\nhero-room-aaaaaaaaaaaaaaaa\n# bob\nhero-room-bbbbbbbbbbbbbbbb\n", "same learner"),
    ],
)
def test_a_bad_key_file_is_one_clear_error(text, message):
    with pytest.raises(KeyFileError, match=message):
        room_keys.parse(text)


def test_an_empty_key_file_is_refused(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("# nobody yet\n")
    with pytest.raises(KeyFileError, match="no keys"):
        room_keys.load_or_create(path, 3)


def test_lookup_is_by_digest_and_never_keeps_the_key():
    pairs = room_keys.generate(2)
    keys = room_keys.room_keys(pairs)
    assert keys.label_for(pairs[1][1]) == "learner-02"
    assert keys.label_for("hero-room-not-a-real-key") is None and keys.label_for(None) is None
    assert all(key not in repr(keys) for _, key in pairs)
