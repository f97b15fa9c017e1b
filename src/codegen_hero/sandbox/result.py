"""What one sandboxed run produced, in a shape that prints, compares and serialises easily."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "fail", "error", "timeout", "killed", "skipped"]
STATUSES: tuple[Status, ...] = ("ok", "fail", "error", "timeout", "killed", "skipped")


@dataclass
class SandboxResult:
    """The verdict on one run.

    ok: exited 0 and every test (if any) passed.  fail: ran, but a test or an assert failed.
    error: exception, syntax error or non-zero exit.  timeout: wall clock exceeded.
    killed: ended by a signal or a resource limit.  skipped: the language's toolchain is missing.
    """

    status: Status
    exit_code: int | None = None
    duration_s: float = 0.0
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    tests_passed: list[str] = field(default_factory=list)
    tests_failed: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # what each passing test returned
    isolation: str = ""
    reason: str = ""
    warning: str = ""
    language: str = "python"

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe types only, so `json.dumps(result.to_dict())` always works."""
        data = asdict(self)
        data["duration_s"] = round(float(self.duration_s), 4)
        return data
