"""bubblewrap: what turns the runner into an actual sandbox, and how we find out if we have it.

Under bwrap the code sees a read-only copy of the filesystem, private /tmp, /run and /dev/shm,
an empty home directory (only the toolchains it needs are bound back), no network, its own
PID namespace (so when the program ends, everything it started is killed with it), no
capabilities, and only its working directory writable. Without bwrap (macOS, no user
namespaces, HERO_SANDBOX=rlimits) the runner falls back to rlimits only, which is NOT a
security sandbox, and says so.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "HERO_SANDBOX"
BWRAP_LEVEL = "bwrap"
RLIMITS_LEVEL = "rlimits-only"
UNAVAILABLE_LEVEL = "unavailable"
PROBE_TIMEOUT_S = 15.0
SMALL_TMPFS_BYTES = 1024 * 1024
# Tried in order. The first needs unprivileged user namespaces (most Linux desktops and CI);
# the second suits a setuid bwrap, or an old one without --disable-userns and --size.
NAMESPACE_FLAGS: tuple[tuple[str, ...], ...] = (
    ("--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL"),
    ("--unshare-all", "--cap-drop", "ALL"),
)
RLIMITS_WARNING = (
    "rlimits-only: NOT a security sandbox; the code can read and change your files, "
    "use the network and signal your processes"
)


@dataclass(frozen=True)
class Isolation:
    """How the next run will be isolated, and a one-line why for `hero doctor`."""

    level: str
    explanation: str
    bwrap: str | None = None
    flags: tuple[str, ...] = ()
    sized_tmpfs: bool = True

    @property
    def warning(self) -> str:
        return "" if self.level == BWRAP_LEVEL else self.explanation


def hidden_roots(extra: Iterable[str] = ()) -> list[str]:
    """Directories replaced by empty tmpfs: scratch space, sockets, the user's home, the
    source checkouts our package and interpreter come from, and whatever the caller names."""
    roots = ["/tmp"]
    roots += [path for path in ("/run", "/var/run") if os.path.isdir(path)]
    roots = [path for path in roots if not os.path.islink(path)]
    home = os.path.realpath(os.path.expanduser("~"))
    if home not in ("/", "") and os.path.isdir(home) and home not in roots:
        roots.append(home)
    wanted = [*checkout_roots(), *(os.path.realpath(p) for p in extra if os.path.isdir(p))]
    for path in wanted:
        if path not in ("/", "") and not any(_under(path, root) for root in roots):
            roots = [root for root in roots if not _under(root, path)] + [path]
    return roots


def checkout_roots() -> list[str]:
    """The project folders (with pyproject.toml or .git) above our package and the venv.

    Their tests, answer keys and git history are none of the sandboxed code's business;
    only the package and the interpreter are bound back.
    """
    found: list[str] = []
    for start in (Path(__file__).resolve().parents[2], Path(os.path.realpath(sys.prefix))):
        for folder in [start, *start.parents]:
            if folder == folder.parent:
                break
            if (folder / "pyproject.toml").is_file() or (folder / ".git").exists():
                if str(folder) not in found:
                    found.append(str(folder))
                break
    return found


def python_paths() -> list[str]:
    """What the interpreter needs: its prefixes, the real executable's home, and the folder
    our own package is imported from (an editable install's src/ may sit under /tmp or ~,
    which the sandbox hides; solutions import helpers such as approx_tokens from it)."""
    real = Path(os.path.realpath(sys.executable))
    package_root = Path(__file__).resolve().parents[2]
    return [
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        str(real.parent.parent),
        str(package_root),
    ]


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def bwrap_argv(
    isolation: Isolation,
    *,
    workdir: str,
    env: dict[str, str],
    command: Sequence[str],
    keep_paths: Iterable[str] = (),
    tmpfs_bytes: int = 256 * 1024 * 1024,
    hide: Iterable[str] = (),
    writable: Iterable[str] = (),
) -> list[str]:
    """The full bwrap command line: the order of mounts matters (later ones cover earlier).
    `writable` adds directories bound read-write besides the workdir (a tool's scratch home)."""
    assert isolation.bwrap is not None
    sized = isolation.sized_tmpfs
    roots = hidden_roots(hide)
    keep = sorted({os.path.realpath(path) for path in keep_paths if os.path.isdir(path)})
    keep = [path for path in keep if any(_under(path, root) for root in roots)]
    # A kept path that is a hidden root itself (python installed in ~) means: do not hide it.
    roots = [root for root in roots if root not in keep]
    keep = [path for path in keep if any(_under(path, root) for root in roots)]
    argv = [isolation.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for root in roots:
        size = tmpfs_bytes if root == "/tmp" else SMALL_TMPFS_BYTES
        argv += [*(["--size", str(size)] if sized else []), "--tmpfs", root]
    argv += [*(["--size", str(tmpfs_bytes)] if sized else []), "--tmpfs", "/dev/shm"]
    for path in keep:
        argv += ["--ro-bind", path, path]
    argv += ["--bind", workdir, workdir]  # before remount-ro: its mount point may be in ~
    for path in writable:
        argv += ["--bind", path, path]
    for root in roots:
        if root != "/tmp":  # the empty home and /run are for hiding, not for writing
            argv += ["--remount-ro", root]
    argv += [*isolation.flags, "--hostname", "sandbox", "--die-with-parent", "--new-session"]
    argv += ["--chdir", workdir, "--clearenv"]
    for name, value in env.items():
        argv += ["--setenv", name, value]
    return [*argv, "--", *command]


def _probe(bwrap: str, flags: tuple[str, ...], sized: bool) -> tuple[bool, str]:
    """Run a tiny Python under exactly these flags; True if it could write its workdir."""
    isolation = Isolation(BWRAP_LEVEL, "", bwrap, flags, sized)
    with tempfile.TemporaryDirectory(prefix="hero-probe-") as workdir:
        argv = bwrap_argv(
            isolation,
            workdir=workdir,
            env={"PATH": "/usr/bin:/bin", "HOME": workdir},
            command=[sys.executable, "-I", "-c", "open('probe', 'w').write('ok')"],
            keep_paths=python_paths(),
        )
        try:
            done = subprocess.run(
                argv, capture_output=True, timeout=PROBE_TIMEOUT_S, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, str(exc)
        wrote = Path(workdir, "probe")
        if done.returncode == 0 and wrote.exists() and wrote.read_text() == "ok":
            return True, ""
        message = done.stderr.decode(errors="replace").strip().splitlines()
        return False, message[-1] if message else f"exit code {done.returncode}"


@functools.lru_cache(maxsize=4)
def detect_bwrap(bwrap: str | None) -> Isolation:
    """Probe once per process and bwrap path: namespaces can be disabled even where it exists."""
    if bwrap is None:
        return Isolation(
            RLIMITS_LEVEL,
            f"{RLIMITS_WARNING} (bwrap not found on PATH; install the 'bubblewrap' package)",
        )
    problem = ""
    for flags in NAMESPACE_FLAGS:
        for sized in (True, False):
            works, problem = _probe(bwrap, flags, sized)
            if works:
                return Isolation(BWRAP_LEVEL, _describe_bwrap(bwrap), bwrap, flags, sized)
    return Isolation(
        RLIMITS_LEVEL, f"{RLIMITS_WARNING} (bwrap is installed but failed its probe: {problem})"
    )


def _describe_bwrap(bwrap: str) -> str:
    try:
        version = subprocess.run(
            [bwrap, "--version"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        version = "bwrap"
    return (
        f"{version or 'bwrap'}: read-only filesystem, empty home, private /tmp, no network, "
        "own PID namespace, no capabilities, plus rlimits"
    )


def choose_isolation(wanted: str | None = None) -> Isolation:
    """Honour `wanted`, else HERO_SANDBOX (auto, bwrap, rlimits), else the best that works."""
    source = "the caller" if wanted else ENV_VAR
    wanted = (wanted or os.environ.get(ENV_VAR, "auto")).strip().lower() or "auto"
    if wanted in ("rlimits", "rlimits-only", "none", "off"):
        why = f"{RLIMITS_WARNING} ({source}={wanted} asked for it)"
        return Isolation(RLIMITS_LEVEL, _root_note(why))
    if wanted not in ("auto", "bwrap"):
        return Isolation(
            UNAVAILABLE_LEVEL, f"{ENV_VAR}={wanted!r} is not one of: auto, bwrap, rlimits"
        )
    if not sys.platform.startswith("linux"):
        found = Isolation(RLIMITS_LEVEL, f"{RLIMITS_WARNING} (bubblewrap needs Linux)")
    else:
        found = detect_bwrap(shutil.which("bwrap"))
    if wanted == "bwrap" and found.level != BWRAP_LEVEL:
        return Isolation(UNAVAILABLE_LEVEL, f"{ENV_VAR}=bwrap but {found.explanation}")
    if found.level == RLIMITS_LEVEL:
        return Isolation(RLIMITS_LEVEL, _root_note(found.explanation))
    return found


def _root_note(text: str) -> str:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return text + "; and it runs as root"
    return text


def isolation_report() -> tuple[str, str]:
    """(level, one-line explanation) for `hero doctor`: bwrap, rlimits-only or unavailable."""
    isolation = choose_isolation()
    return isolation.level, isolation.explanation
