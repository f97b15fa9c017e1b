"""`hero workshop doctor`: the learner's self-check the day before, each problem with its fix.

It runs `hero doctor`'s checks and adds what a workshop needs on top: a Jupyter kernel that
starts, the course's notebooks, a sandbox that actually runs code, disk space, and the
room's server when HERO_ROOM_URL points at one.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from codegen_hero.doctor import Check, Level, probe_room, run_checks

MIN_FREE_GB = 2.0
KERNEL_TIMEOUT_S = 60


@dataclass(frozen=True)
class Finding:
    what: str
    level: Level
    detail: str
    fix: str = ""


BASE_FIXES = {
    "Python": "install Python 3.11 or newer, then `make test` again",
    "llama-cpp-python": "run `make test` (it builds llama.cpp once, about 6 minutes)",
    "llama.cpp build": "reinstall: `bash scripts/install.sh`",
    "anthropic": "optional: `make test` installs it",
    "openai": "optional: `make test` installs it",
    "response cache": "make its folder writable, or set HERO_CACHE_PATH to one that is",
    "free disk": "free some space: the local models take about 600 MB",
    "sandbox": "install bubblewrap (`sudo apt install bubblewrap`); without it code runs "
    "with resource limits only",
}


def _fix_for(check: Check) -> str:
    if check.level == "ok":
        return ""
    if check.what in BASE_FIXES:
        return BASE_FIXES[check.what]
    if check.what.startswith("local/"):
        return f"run `hero models install {check.what}`"
    if check.what.endswith("_KEY"):
        return f"optional: export {check.what}=… for hosted models (local models need none)"
    if check.what.endswith("server"):
        return "optional: start the server, or ignore this"
    return "see `hero doctor`"


def check_kernel() -> Finding:
    """A kernel must start and run code: the labs and the grader both need one."""
    if importlib.util.find_spec("ipykernel") is None:
        return Finding("Jupyter kernel", "fail", "ipykernel is not installed", "run `make test`")
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
        from jupyter_client.manager import start_new_kernel

        try:
            KernelSpecManager().get_kernel_spec("python3")
        except NoSuchKernel:
            fix = "run `python -m ipykernel install --sys-prefix`"
            return Finding("Jupyter kernel", "fail", "no python3 kernelspec", fix)
        manager, client = start_new_kernel(
            kernel_name="python3",
            startup_timeout=KERNEL_TIMEOUT_S,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            reply = client.execute_interactive(
                "1 + 1", timeout=KERNEL_TIMEOUT_S, output_hook=lambda _msg: None
            )
            ok = reply["content"]["status"] == "ok"
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    except Exception as exc:  # noqa: BLE001 - any failure to start is the finding
        fix = "run `make test`; behind a firewall, allow loopback (127.0.0.1) connections"
        return Finding("Jupyter kernel", "fail", f"cannot start: {exc}", fix)
    if not ok:
        return Finding(
            "Jupyter kernel", "fail", "started but could not run 1 + 1", "run `make test`"
        )
    return Finding("Jupyter kernel", "ok", "python3 kernel starts and runs code")


def check_course(root: Path | None = None) -> list[Finding]:
    """The exercise notebooks for every exercise, and at least one lab."""
    from codegen_hero.exercises import all_exercises
    from codegen_hero.models.errors import HeroError
    from codegen_hero.workshop.release import find_project_root

    try:
        root = root or find_project_root()
    except HeroError as exc:
        fix = "run this inside the course folder (the one with notebooks/ and exercises/)"
        return [Finding("course files", "fail", str(exc), fix)]
    slugs = list(all_exercises())
    missing = [s for s in slugs if not (root / "exercises" / f"{s}.ipynb").is_file()]
    labs = sorted((root / "notebooks").glob("*.ipynb"))
    found = [
        Finding(
            "exercises",
            "fail" if missing else "ok",
            f"missing: {', '.join(missing)}" if missing else f"all {len(slugs)} in {root}",
            "copy the course folder again from the instructor's release" if missing else "",
        ),
        Finding(
            "labs",
            "ok" if labs else "fail",
            f"{len(labs)} notebooks in {root / 'notebooks'}",
            "" if labs else "copy the course folder again from the instructor's release",
        ),
    ]
    manifest = root / "manifest.json"
    if manifest.is_file():
        listed = [f["path"] for f in json.loads(manifest.read_text(encoding="utf-8"))["files"]]
        gone = [p for p in listed if not (root / p).is_file()]
        detail = f"{len(gone)} released files missing, e.g. {gone[0]}" if gone else "complete"
        fix = "copy the release folder again" if gone else ""
        found.append(Finding("release files", "fail" if gone else "ok", detail, fix))
    return found


def check_sandbox_runs() -> Finding:
    from codegen_hero.sandbox import run_code

    result = run_code("print('sandbox ok')", timeout=20)
    if result.status != "ok" or "sandbox ok" not in result.stdout:
        fix = "install bubblewrap (`sudo apt install bubblewrap`), then run `hero doctor`"
        return Finding("sandbox run", "fail", f"{result.status}: {result.reason}", fix)
    level: Level = "ok" if result.isolation == "bwrap" else "warn"
    fix = "" if level == "ok" else BASE_FIXES["sandbox"]
    return Finding("sandbox run", level, f"code runs ({result.isolation})", fix)


def check_free_disk(path: Path | None = None) -> Finding:
    where = path or Path.cwd()
    free_gb = shutil.disk_usage(where).free / 1e9
    level: Level = "ok" if free_gb >= MIN_FREE_GB else ("warn" if free_gb >= 0.5 else "fail")
    fix = "" if level == "ok" else f"free at least {MIN_FREE_GB:g} GB (models, caches, outputs)"
    return Finding("free disk (course folder)", level, f"{free_gb:.1f} GB free at {where}", fix)


ROOM_FIXES = {
    "down": "check the address the instructor gave, and that you are on the room's Wi-Fi",
    "no-key": "export HERO_ROOM_KEY=<the key your instructor gave you> before starting Jupyter",
    "bad-key": "check HERO_ROOM_KEY: copy your own key again, whole, from the instructor",
    "odd": "HERO_ROOM_URL should end in /v1: ask the instructor for the exact address",
}


def check_room(url: str | None = None) -> Finding | None:
    """Only when HERO_ROOM_URL is set: the learner asked for the room's server, so it must
    answer, and accept their key."""
    url = url if url is not None else os.environ.get("HERO_ROOM_URL", "").strip()
    if not url:
        return None
    key = os.environ.get("HERO_ROOM_KEY", "").strip() or None
    state, detail = probe_room(url, key)
    if state == "ok":
        with_key = " with your HERO_ROOM_KEY" if key else " (no key needed)"
        return Finding("HERO_ROOM_URL server", "ok", f"{url} {detail}{with_key}")
    return Finding("HERO_ROOM_URL server", "fail", f"{url} {detail}", ROOM_FIXES[state])


def workshop_checks(root: Path | None = None, *, kernel: bool = True) -> list[Finding]:
    findings = [Finding(c.what, c.level, c.detail, _fix_for(c)) for c in run_checks()]
    if kernel:
        findings.append(check_kernel())
    findings += check_course(root)
    findings.append(check_sandbox_runs())
    findings.append(check_free_disk(root))
    room = check_room()
    if room is not None:
        findings.append(room)
    return findings
