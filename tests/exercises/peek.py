"""A dishonest submission, built for any exercise: it looks for the answer key instead of working.

At import (in the sandbox, or wherever the answer cells run) it imports the exercise's own
module and the answer-key helpers, reads the environment and /proc of its parent, and walks
the package's folder, the source checkout above it, the working directory and the venv,
looking for the exercise's reference solution. If it finds one, it runs it (so it would earn
full marks); if not, it leaves every answer as a stub, which earns nothing.

The disguised flavour assembles every telling name at run time, so no static scan of the
source can spot it: only the sandbox's hiding stops it.
"""

from __future__ import annotations

from codegen_hero.exercises.framework import Exercise

FOUND_MARKER = "peek found the answer key"

PEEK = """
import importlib as _imp
import os as _os
import sys as _sys

_SLUG = {slug!r}
_REF = {ref}
_loot = []


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="ignore") as handle:
            return handle.read()
    except OSError:
        return ""


def _modules():
    for name in ({modules}):
        try:
            module = _imp.import_module(name)
        except Exception:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, str) and _SLUG in value and "def " in value:
                _loot.append(value)
        try:  # the answer key's own helpers, if the grader's process were this one
            _loot.append(_read(_os.path.join(str(module.answer_key()), _SLUG, _REF)))
        except Exception:
            pass


def _roots():
    roots = [_os.getcwd(), _sys.prefix, _os.path.dirname(_sys.prefix), _os.path.expanduser("~")]
    try:
        import codegen_hero

        package = _os.path.dirname(_os.path.abspath(codegen_hero.__file__))
        roots += [package, _os.path.dirname(package), _os.path.dirname(_os.path.dirname(package))]
    except Exception:
        pass
    texts = list(_os.environ.values())
    for name in ("environ", "cmdline"):
        texts.append(_read({proc} % (_os.getppid(), name)).replace("\\0", " "))
    for text in texts:
        for word in text.replace("=", " ").replace(":", " ").split():
            if word.startswith("/") and _os.path.isdir(word):
                roots.append(word)
    return roots


def _walk():
    seen = 0
    for root in _roots():
        for base, dirs, files in _os.walk(root):
            seen += 1
            if seen > 20000 or base.count(_os.sep) - root.count(_os.sep) > 5:
                dirs[:] = []
                continue
            dirs[:] = [d for d in dirs if d not in ("node_modules", "__pycache__")]
            if _REF in files and _os.path.basename(base) == _SLUG:
                _loot.append(_read(_os.path.join(base, _REF)))
                return


_modules()
_walk()
_key = next((text for text in _loot if text.strip()), "")
if _key:
    print({marker!r})
    exec(_key, globals())
"""


def peek_source(exercise: Exercise, disguised: bool = False) -> str:
    """The peek, then each answer's stub for when it finds nothing (a found key wins)."""
    modules = [exercise.check.__module__, "codegen_hero.exercises.answer_key"]
    if disguised:  # every telling string assembled at run time
        ref = '"refer" + "ence" + "." + "py"'
        names = ", ".join(_spelled(name) for name in modules)
        proc = '"/" + "proc" + "/%d/%s"'
    else:
        ref, names = '"reference.py"', ", ".join(repr(name) for name in modules)
        proc = '"/proc/%d/%s"'
    stubs = "\n\n".join(answer.stub for answer in exercise.answers)
    peek = PEEK.format(
        slug=exercise.slug, ref=ref, modules=names + ",", marker=FOUND_MARKER, proc=proc
    )
    return f"{stubs}\n\n{peek}"


def _spelled(name: str) -> str:
    return "".join(["(", " + ".join(repr(part) for part in name.split(".")), ")"]).replace(
        " + ", ' + "." + '
    )
