"""Reading a child's output without trusting its size: keep the first N bytes, drain the rest."""

from __future__ import annotations

import os
import threading
from typing import IO

CHUNK = 64 * 1024


class CappedReader(threading.Thread):
    """Reads a pipe to the end on its own thread, keeping at most `cap` bytes.

    It keeps reading past the cap (and throws that away) so the writer never blocks on a full
    pipe, and so a giant print costs us a little CPU, never memory.
    """

    def __init__(self, stream: IO[bytes], cap: int, name: str) -> None:
        super().__init__(name=f"sandbox-{name}", daemon=True)
        self._stream = stream
        self._cap = cap
        self._chunks: list[bytes] = []
        self._kept = 0
        self.truncated = False
        self.total_bytes = 0

    def run(self) -> None:
        fd = self._stream.fileno()
        try:
            while chunk := os.read(fd, CHUNK):
                self.total_bytes += len(chunk)
                room = self._cap - self._kept
                if room > 0:
                    self._chunks.append(chunk[:room])
                    self._kept += min(room, len(chunk))
                if len(chunk) > max(room, 0):
                    self.truncated = True
        except OSError:
            pass
        finally:
            self._stream.close()

    def data(self) -> bytes:
        return b"".join(self._chunks)

    def text(self) -> str:
        return self.data().decode("utf-8", errors="replace")
