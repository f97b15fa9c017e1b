"""Three context packers on the same repository: ours, repomix (npm) and files-to-prompt (PyPI).

    repo = make_demo_repo("work/demo")          # tally, plus two planted secrets and a binary
    reports = compare_packers(repo)              # one PackerReport per packer
    [r.row() for r in reports]                   # tokens, files in, what was left out and why

Every packer runs on its own copy of the repository in the sandbox's tool profile (no
network at all), so "works offline" is shown, not assumed. Tokens are counted on one
yardstick for all three (`approx_tokens`, about 4 characters a token); repomix's own count
(its bundled o200k tokenizer) is shown beside it.
"""

from __future__ import annotations

import re
import secrets
import shutil
import string
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from codegen_hero.exercises.tokens import approx_tokens
from codegen_hero.models.errors import HeroError
from codegen_hero.project import materialise
from codegen_hero.sandbox import run_tool
from codegen_hero.toolkit.loops import commit_files
from codegen_hero.toolkit.packing import as_text, ignored_by, pack_directory, parse_gitignore

REPO_ROOT = Path(__file__).resolve().parents[3]
REPOMIX = REPO_ROOT / "tools" / "repomix" / "node_modules" / "repomix" / "bin" / "repomix.cjs"
REPOMIX_HINT = "run `bash scripts/tools-repomix.sh` (repomix from npm, pinned, in tools/repomix)"
PACK_TIMEOUT_S = 120.0
PACK_NAME = ".hero-pack.txt"  # repomix never packs its own output file
OUR_BUDGET_TOKENS = 20_000
SECRET_FILES = {".env": "ignored by .gitignore", "notes/deploy.md": "tracked, not ignored"}


class PackerError(HeroError):
    pass


@dataclass
class PackerReport:
    """What one packer made of the repository."""

    packer: str
    tokens: int | None  # approx_tokens of the pack: the same yardstick for every packer
    own_tokens: int | None  # the packer's own count, when it has one
    included: list[str]
    left_out: dict[str, str]  # path -> why
    secrets_in: list[str]  # which planted secrets' files got into the pack (by their file)
    seconds: float
    text: str = field(default="", repr=False)
    error: str = ""

    def row(self) -> dict[str, object]:
        return {
            "packer": self.packer,
            "tokens (approx)": self.tokens,
            "own count": self.own_tokens,
            "files in": len(self.included),
            "left out": ", ".join(f"{p} ({why})" for p, why in sorted(self.left_out.items())),
            "planted secrets in the pack": ", ".join(self.secrets_in) or "none",
        }


def _random_token(prefix: str, length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def make_demo_repo(folder: str | Path) -> tuple[Path, dict[str, str]]:
    """tally as lab 09 starts it, plus what real repositories hold: a `.env` with a token
    (ignored by git), a deployment note with a GitHub-style token pasted in (tracked: the
    mistake packers must catch), a binary logo and an ignored log. Secrets are random per
    call, never stored. Returns (the repository, {file: planted secret})."""
    root = materialise(folder, "09")
    planted = {".env": _random_token("hero", 24), "notes/deploy.md": _random_token("ghp_", 36)}
    with open(root / ".gitignore", "a", encoding="utf-8") as handle:
        handle.write(".env\n*.log\n")
    (root / ".env").write_text(f"TALLY_API_TOKEN={planted['.env']}\n", encoding="utf-8")
    (root / "notes").mkdir()
    (root / "notes" / "deploy.md").write_text(
        "# Deploying tally\n\nPublish with the bot account; its token, for now:\n"
        f"{planted['notes/deploy.md']}\n",
        encoding="utf-8",
    )
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(64)))
    (root / "build.log").write_text("build ok\n" * 50, encoding="utf-8")
    commit_files(root, [".gitignore", "notes/deploy.md", "logo.png"], "notes, logo")
    return root, planted


def repo_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    )


def why_left_out(root: Path, path: str, flagged: set[str]) -> str:
    """A packer-neutral reason for a file missing from a pack."""
    gitignore = root / ".gitignore"
    rules = parse_gitignore(gitignore.read_text(encoding="utf-8") if gitignore.exists() else "")
    if path in flagged:
        return "security check"
    if ignored_by(path, rules):
        return ".gitignore"
    if as_text((root / path).read_bytes()) is None:
        return "binary"
    if any(part.startswith(".") for part in path.split("/")):
        return "hidden file"
    return "left out"


def _report(
    name: str, root: Path, text: str, included: list[str], seconds: float, **extra: object
) -> PackerReport:
    flagged: set[str] = set(extra.pop("flagged", set()))  # type: ignore[call-overload]
    inside = set(included)
    left_out = {p: why_left_out(root, p, flagged) for p in repo_files(root) if p not in inside}
    planted = extra.pop("planted", {})
    found = [path for path, secret in dict(planted).items() if secret in text]  # type: ignore[call-overload]
    return PackerReport(
        packer=name,
        tokens=approx_tokens(text),
        own_tokens=extra.get("own_tokens"),  # type: ignore[arg-type]
        included=sorted(included),
        left_out=left_out,
        secrets_in=found,
        seconds=round(seconds, 2),
        text=text,
    )


def pack_ours(root: Path, planted: dict[str, str], budget: int = OUR_BUDGET_TOKENS) -> PackerReport:
    """The course's packer (stage 4): .gitignore, binary and size rules, a token budget."""
    started = time.monotonic()
    pack = pack_directory(root, budget, priority=["README.md", "spec.md"])
    seconds = time.monotonic() - started
    report = _report("ours (toolkit.packing)", root, pack.text, pack.included, seconds,
                     planted=planted)  # fmt: skip
    for entry in pack.skipped:
        report.left_out[entry.path] = entry.status
    return report


def _sandbox_copy(root: Path, scratch: Path) -> Path:
    copy = scratch / root.name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
    return copy


def pack_repomix(root: Path, planted: dict[str, str]) -> PackerReport:
    """repomix 1.14 (npm) in the sandbox, network cut: plain style, its security check on."""
    if not REPOMIX.is_file() or shutil.which("node") is None:
        raise PackerError(
            f"repomix is not installed ({REPOMIX} or node is missing): {REPOMIX_HINT}"
        )
    with tempfile.TemporaryDirectory(prefix="hero-repomix-") as scratch:
        copy = _sandbox_copy(root, Path(scratch))
        argv = ["node", str(REPOMIX), "--style", "plain", "-o", PACK_NAME, "."]
        # repomix's own node_modules sit in the checkout, which the sandbox hides otherwise.
        modules = str(REPOMIX.parents[2])
        run = run_tool(argv, workdir=copy, timeout=PACK_TIMEOUT_S, readable=[scratch, modules])
        out = copy / PACK_NAME  # in the copy: the only folder repomix may write
        text = out.read_text(encoding="utf-8") if out.exists() else ""
    if run.status != "ok" or not text:
        raise PackerError(f"repomix did not pack ({run.reason or run.output.strip()[-200:]})")
    included = re.findall(r"^File: (.+)$", text, re.M)
    counted = re.search(r"Total Tokens: ([\d,]+)", run.output)
    flagged = set(re.findall(r"^\d+\. (\S+)\n\s+- \d+ security issue", run.output, re.M))
    own = int(counted.group(1).replace(",", "")) if counted else None
    return _report(
        "repomix 1.14 (npm)", root, text, included, run.duration_s,
        own_tokens=own, flagged=flagged, planted=planted,
    )  # fmt: skip


def pack_files_to_prompt(root: Path, planted: dict[str, str]) -> PackerReport:
    """files-to-prompt 0.6 (PyPI) in the sandbox: its --cxml format, defaults otherwise."""
    try:
        import files_to_prompt  # noqa: F401  (only to say clearly when it is missing)
    except ImportError as exc:
        raise PackerError("files-to-prompt is not installed: install the dev extra") from exc
    with tempfile.TemporaryDirectory(prefix="hero-ftp-") as scratch:
        copy = _sandbox_copy(root, Path(scratch))
        argv = [sys.executable, "-m", "files_to_prompt", "--cxml", "."]
        run = run_tool(argv, workdir=copy, timeout=PACK_TIMEOUT_S, readable=[scratch])
    if run.status != "ok" or run.exit_code != 0:
        raise PackerError(f"files-to-prompt did not pack ({run.reason or run.output[-200:]})")
    text = run.output
    found = re.findall(r"<source>(.*?)</source>|<document path=\"(.*?)\">", text)
    included = [(a or b).removeprefix("./") for a, b in found]
    return _report("files-to-prompt 0.6 (PyPI)", root, text, included, run.duration_s,
                   planted=planted)  # fmt: skip


def compare_packers(root: Path, planted: dict[str, str]) -> list[PackerReport]:
    """All three on the same repository; a packer that cannot run says why in `error`."""
    reports = []
    for name, packer in (
        ("ours (toolkit.packing)", pack_ours),
        ("repomix 1.14 (npm)", pack_repomix),
        ("files-to-prompt 0.6 (PyPI)", pack_files_to_prompt),
    ):
        try:
            reports.append(packer(root, planted))
        except HeroError as exc:
            reports.append(PackerReport(name, None, None, [], {}, [], 0.0, error=str(exc)))
    return reports
