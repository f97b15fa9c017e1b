"""One API key per learner for `hero serve --allow-network`, in a file llama-server also reads.

The file holds one key per line; a comment line just above a key names its learner (that
label, never the key, is what the instructor's view shows). llama.cpp's `llama-server
--api-key-file` skips the comments, so the same file serves a GPU box running llama-server
directly. Keys live in memory and in the file the instructor chose, nowhere else.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from codegen_hero.models.errors import HeroError

KEY_PREFIX = "hero-room-"
KEY_ENV = "HERO_ROOM_KEY"  # the room provider's key_env in the registry
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
HEADER = (
    "# hero serve: one key per line; the comment line above a key is its learner's name.\n"
    "# Keep this file private: anyone holding a key can use the room's model.\n"
)


class KeyFileError(HeroError):
    pass


@dataclass(frozen=True)
class RoomKeys:
    """Learner labels by the sha256 of their key: lookups never keep the key itself around."""

    by_digest: dict[str, str]

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def label_for(self, key: str | None) -> str | None:
        return self.by_digest.get(self.digest(key)) if key else None

    @property
    def labels(self) -> list[str]:
        return sorted(self.by_digest.values())

    def __len__(self) -> int:
        return len(self.by_digest)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(24)


def generate(learners: int) -> list[tuple[str, str]]:
    width = max(2, len(str(learners)))
    return [(f"learner-{i:0{width}d}", new_key()) for i in range(1, learners + 1)]


def parse(text: str, source: str = "the key file") -> list[tuple[str, str]]:
    """(label, key) pairs; a key without a comment above it gets `learner-NN`."""
    pairs: list[tuple[str, str]] = []
    label: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            name = line.lstrip("#").strip()
            label = name if LABEL.match(name) else None
            continue
        if any(ch.isspace() for ch in line) or len(line) < 16:
            raise KeyFileError(
                f"{source}, line {number}: a key is one word of at least 16 characters "
                "(put the learner's name on a '# name' line above it)"
            )
        pairs.append((label or f"learner-{len(pairs) + 1:02d}", line))
        label = None
    keys = [key for _, key in pairs]
    if len(set(keys)) != len(keys):
        raise KeyFileError(f"{source}: the same key appears twice; every learner needs their own")
    labels = [name for name, _ in pairs]
    if len(set(labels)) != len(labels):
        raise KeyFileError(f"{source}: two keys carry the same learner name")
    return pairs


def write(path: Path, pairs: list[tuple[str, str]]) -> None:
    """Readable by its owner only; created, never overwritten (a room's keys stay stable)."""
    body = HEADER + "".join(f"# {label}\n{key}\n" for label, key in pairs)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    with os.fdopen(os.open(path, flags, 0o600), "w", encoding="utf-8") as fh:
        fh.write(body)


def load_or_create(path: Path | None, learners: int) -> tuple[list[tuple[str, str]], bool]:
    """The keys in `path`, or new ones (written there when a path is given); `created` says."""
    if path is None:
        return generate(learners), True
    if path.exists():
        pairs = parse(path.read_text(encoding="utf-8"), str(path))
        if not pairs:
            raise KeyFileError(f"{path} holds no keys")
        return pairs, False
    pairs = generate(learners)
    write(path, pairs)
    return pairs, True


def room_keys(pairs: list[tuple[str, str]]) -> RoomKeys:
    return RoomKeys({RoomKeys.digest(key): label for label, key in pairs})
