"""Getting runnable code out of an LLM's answer.

Small models wrap code in prose, split it over several fenced blocks, add shell commands and
sample output, show REPL sessions, forget to close the last fence or use no fence at all.
`extract_code` picks what would run; `strip_main_and_tests` drops what should not run on
import (the model's own `__main__` block and tests).
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

from codegen_hero import pysyntax

LANGUAGE_TAGS = {
    "python": {"python", "py", "python3", "py3", "pycon", "ipython", "sage"},
    "javascript": {"javascript", "js", "node", "nodejs", "jsx", "mjs", "cjs"},
    "go": {"go", "golang"},
}
SHELL_TAGS = {"bash", "sh", "shell", "zsh", "console", "terminal", "powershell", "ps", "cmd"}
OUTPUT_TAGS = {"text", "txt", "output", "plaintext", "plain", "out", "stdout", "log", "result"}
SHELL_LINE = re.compile(
    r"^\s*(\$ |> |pip3? |python3? (-m )?\S+\.py|python3? -m |npm |npx |node \S+\.js|go (run|build|"
    r"mod|get) |conda |apt(-get)? |brew |cd |git |curl |wget |uv |poetry |pytest\b|export )"
)
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
CODE_START = re.compile(
    r"^\s*(def |async def |class |import |from \S+ import |@\w|if |for |while |try:|with |"
    r"return\b|#|[A-Za-z_][\w.]*(\[.*\])?\s*(=|\+=|-=|\())"
)


@dataclass(frozen=True)
class Block:
    tag: str
    body: str


def _tag_of(info: str) -> str:
    """'python title="x"', '{python}', 'Python:solution.py' and 'py3' all become one word."""
    word = info.strip().strip("{}").split()[0] if info.strip() else ""
    return re.split(r"[:,{}=]", word.lower(), maxsplit=1)[0].lstrip(".")


def fenced_blocks(text: str) -> list[Block]:
    """Every ``` or ~~~ block, in order; an unterminated last fence runs to the end."""
    blocks: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening or "`" in opening["info"]:
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        body: list[str] = []
        index += 1
        while index < len(lines):
            closing = FENCE.match(lines[index])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[index])
            index += 1
        index += 1
        text_body = textwrap.dedent("\n".join(body)) if indent else "\n".join(body)
        blocks.append(Block(_tag_of(opening["info"]), text_body.strip("\n")))
    return blocks


def _normalise(language: str) -> str:
    lowered = language.strip().lower()
    for name, tags in LANGUAGE_TAGS.items():
        if lowered == name or lowered in tags:
            return name
    return lowered


def _is_shell(body: str) -> bool:
    lines = [line for line in body.splitlines() if line.strip() and not line.startswith("#")]
    return bool(lines) and sum(bool(SHELL_LINE.match(line)) for line in lines) * 2 >= len(lines)


def _from_repl(body: str) -> str:
    """A `>>>` session becomes the code typed into it; the printed results are dropped."""
    lines = body.splitlines()
    if not any(line.startswith(">>>") for line in lines):
        return body
    kept = [line[4:] for line in lines if line.startswith((">>> ", "... ", ">>>", "..."))]
    return "\n".join(line.rstrip() for line in kept)


def _parse(code: str) -> ast.Module | None:
    try:
        return pysyntax.parse(code)
    except (SyntaxError, ValueError):
        return None


def _is_prose(node: ast.stmt) -> bool:
    """Statements that parse but are really words: `Solution`, `Note: this is O(n)`."""
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Name)
    if isinstance(node, ast.AnnAssign) and node.value is None:
        return not isinstance(node.annotation, ast.Name | ast.Attribute | ast.Subscript)
    return False


def _looks_like_code(tree: ast.Module | None) -> bool:
    return tree is not None and any(not _is_prose(node) for node in tree.body)


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _defined_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, DEFINITIONS):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _is_test_name(name: str) -> bool:
    return name.startswith(("test_", "Test"))


def _kind(tree: ast.Module) -> str:
    """definitions, tests (only the model's own test_* functions) or usage (calls, prints)."""
    defs = [node for node in tree.body if isinstance(node, DEFINITIONS)]
    if defs:
        return "tests" if all(_is_test_name(node.name) for node in defs) else "definitions"
    calls = any(isinstance(node, ast.Expr | ast.Assert | ast.If) for node in tree.body)
    return "usage" if calls else "definitions"


def _join_python(bodies: list[str]) -> str:
    """Keep definition blocks, drop usage examples and the model's own tests when there is
    something else, and let a later block that redefines everything replace an earlier one."""
    parsed: list[tuple[str, ast.Module | None]] = []
    for body in bodies:
        tree = _parse(body)
        if tree is None and parsed:  # a block that only makes sense glued to the last one
            glued = parsed[-1][0] + "\n" + body
            if (glued_tree := _parse(glued)) is not None:
                parsed[-1] = (glued, glued_tree)
                continue
        parsed.append((body, tree))
    runnable = [(body, tree) for body, tree in parsed if _looks_like_code(tree)]
    if not runnable:
        return bodies[-1] if bodies else ""
    if len(runnable) == 1:
        return runnable[0][0]
    kinds = [_kind(tree) for _, tree in runnable if tree is not None]
    chosen = [pair for pair, kind in zip(runnable, kinds, strict=True) if kind == "definitions"]
    if not chosen:
        return "\n\n".join(body for body, _ in runnable)
    kept: list[str] = []
    for position, (body, tree) in enumerate(chosen):
        assert tree is not None
        later: set[str] = set()
        for _, other in chosen[position + 1 :]:
            later |= _defined_names(other) if other is not None else set()
        names = _defined_names(tree)
        if names and names <= later:
            continue  # a later block is a revised version of this one
        kept.append(body)
    return "\n\n".join(kept)


def _unfenced_python(text: str) -> str:
    """No fences: the whole text if it parses, else cut prose off the ends until it does."""
    lines = text.strip("\n").splitlines()
    start, end = 0, len(lines)
    for _ in range(len(lines) + 1):
        if start >= end:
            return ""
        candidate = textwrap.dedent("\n".join(lines[start:end]))
        try:
            tree = pysyntax.parse(candidate)
        except SyntaxError as exc:
            bad = start + max((exc.lineno or 1) - 1, 0)
            if not any(CODE_START.match(line) for line in lines[start:bad]):
                start = max(bad + 1, start + 1)  # prose before the code
            else:
                end = bad  # prose after the code
            continue
        except ValueError:
            return ""
        body = tree.body
        while body and _is_prose(body[-1]):
            body = body[:-1]
        if not body or not _looks_like_code(tree):
            return ""
        return "\n".join(candidate.splitlines()[: body[-1].end_lineno]).strip("\n")
    return ""


def _unfenced_other(text: str) -> str:
    lines = text.strip("\n").splitlines()
    code_start = re.compile(
        r"^\s*(package |import |func |function |const |let |var |class |async |export |"
        r"module\.|\"use strict\"|'use strict'|//|/\*|console\.)"
    )
    for index, line in enumerate(lines):
        if code_start.match(line):
            return "\n".join(lines[index:]).strip("\n")
    return text.strip("\n")


def extract_code(text: str, language: str = "python") -> str:
    """The code an answer means to give, in `language`; "" when there is none."""
    language = _normalise(language)
    blocks = fenced_blocks(text)
    if not blocks:
        return _unfenced_python(text) if language == "python" else _unfenced_other(text)
    tags = LANGUAGE_TAGS.get(language, {language})
    usable = [block for block in blocks if block.body.strip() and not _is_shell(block.body)]
    chosen = [block for block in usable if block.tag in tags or block.tag == language]
    if not chosen:  # untagged blocks, if they look like code
        chosen = [block for block in usable if not block.tag]
        if language == "python":
            chosen = [block for block in chosen if _looks_like_code(_parse(_from_repl(block.body)))]
    if not chosen:
        return ""
    if language == "python":
        return _join_python([_from_repl(block.body) for block in chosen])
    if language == "go":
        mains = [block.body for block in chosen if re.search(r"^package main\b", block.body, re.M)]
        return mains[-1] if mains else chosen[-1].body
    return "\n\n".join(block.body for block in chosen)


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    parts = [node.test.left, *node.test.comparators]
    names = [p for p in parts if isinstance(p, ast.Name) and p.id == "__name__"]
    mains = [p for p in parts if isinstance(p, ast.Constant) and p.value == "__main__"]
    return bool(names and mains and isinstance(node.test.ops[0], ast.Eq))


def _is_model_test(node: ast.stmt) -> bool:
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, DEFINITIONS) and _is_test_name(node.name):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr == "main"
            and (
                isinstance(func.value, ast.Name)
                and func.value.id in {"unittest", "pytest", "doctest"}
            )
        )
    return False


def strip_main_and_tests(code: str) -> str:
    """Remove the `if __name__ == "__main__":` block, top-level asserts, and test_* functions
    or Test* classes, so importing the code runs only its definitions. Unparsable code is
    returned unchanged."""
    tree = _parse(code)
    if tree is None:
        return code
    lines = code.splitlines()
    drop: set[int] = set()
    for node in tree.body:
        if _is_main_guard(node) or _is_model_test(node):
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            drop.update(range(first - 1, (node.end_lineno or node.lineno)))
    kept = [line for number, line in enumerate(lines) if number not in drop]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n") + "\n"
