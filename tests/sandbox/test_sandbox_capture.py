"""CappedReader keeps the head of a stream and drains the rest."""

from __future__ import annotations

import os
import threading

from codegen_hero.sandbox.capture import CappedReader


def pump(payload: bytes, cap: int) -> CappedReader:
    read_end, write_end = os.pipe()
    reader = CappedReader(os.fdopen(read_end, "rb"), cap, "test")
    reader.start()

    def write() -> None:
        with os.fdopen(write_end, "wb") as stream:
            stream.write(payload)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(10)
    reader.join(10)
    assert not writer.is_alive() and not reader.is_alive()
    return reader


def test_large_output_is_cut_at_the_cap_but_fully_drained() -> None:
    reader = pump(b"a" * 5_000_000, cap=1000)
    assert reader.data() == b"a" * 1000
    assert reader.truncated
    assert reader.total_bytes == 5_000_000


def test_small_output_is_kept_whole() -> None:
    reader = pump("héllo\n".encode(), cap=1000)
    assert reader.text() == "héllo\n"
    assert not reader.truncated


def test_exact_cap_is_not_truncated_and_zero_cap_keeps_nothing() -> None:
    assert not pump(b"x" * 100, cap=100).truncated
    nothing = pump(b"x" * 100, cap=0)
    assert nothing.data() == b"" and nothing.truncated


def test_cut_inside_a_character_still_decodes() -> None:
    reader = pump("é".encode() * 10, cap=3)
    assert reader.text().startswith("é")
