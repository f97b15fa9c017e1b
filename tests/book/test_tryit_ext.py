"""The "Try it here" extension's build-time side, and the checks each panel runs.

Every "your turn" task is proved here against a reference solution (all checks pass) and its
starting point (some check fails), through the same runner the browser runs in Pyodide.
The reference solutions live in this test, not in the book.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
sys.path.insert(0, str(ROOT / "book" / "tryit" / "web"))

import tryit  # noqa: E402
import tryit_check_runner  # noqa: E402

REFERENCE = {
    "word_count": "def word_count(text):\n    return len(text.split())\n",
    "mean": "def mean(values):\n    return sum(values) / len(values) if values else 0.0\n",
    "slugify": (
        "import re\n\ndef slugify(title):\n"
        "    return '-'.join(re.findall(r'[a-z0-9]+', title.lower().replace(\"'\", '')))\n"
    ),
    "parse_duration": (
        "import re\n\ndef parse_duration(text):\n"
        "    m = re.fullmatch(r'(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?', text)\n"
        "    if not text or not m:\n        raise ValueError(text)\n"
        "    h, mi, s = (int(g or 0) for g in m.groups())\n"
        "    return h * 3600 + mi * 60 + s\n"
    ),
    "dedupe": "def dedupe(items):\n    return list(dict.fromkeys(items))\n",
    "next_task": (
        "def next_task(todo):\n    for line in todo.splitlines():\n"
        "        if line.strip().startswith('- [ ] '):\n"
        "            return line.strip()[6:]\n    return None\n"
    ),
    "fizzbuzz": (
        "def fizzbuzz(n):\n    return ('Fizz' * (n % 3 == 0) + 'Buzz' * (n % 5 == 0)) or str(n)\n"
    ),
    "retry": (
        "def retry(action, attempts):\n    for i in range(attempts):\n        try:\n"
        "            return action()\n        except Exception:\n"
        "            if i == attempts - 1:\n                raise\n"
    ),
    "balanced": (
        "def balanced(text):\n    pairs, stack = {')': '(', ']': '[', '}': '{'}, []\n"
        "    for c in text:\n        if c in '([{':\n            stack.append(c)\n"
        "        elif c in pairs:\n            if not stack or stack.pop() != pairs[c]:\n"
        "                return False\n    return not stack\n"
    ),
}


def stage_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f for f in files if re.fullmatch(r"book/0[1-9]-[\w-]+", f)]


def run(task: str, solution: str) -> dict:
    _, checks = tryit._task_files(task)
    return json.loads(tryit_check_runner.run_checks(solution, checks))


def test_every_stage_chapter_has_a_panel():
    panels = tryit.load_panels()
    assert sorted(panels) == sorted(stage_chapters())
    assert {p.kind for p in panels.values()} == {"chat", "fim"}
    assert panels["book/02-autocomplete"].kind == "fim"


@pytest.mark.parametrize("task", sorted(REFERENCE))
def test_the_reference_passes_and_the_starting_point_does_not(task: str):
    assert {p.task for p in tryit.load_panels().values()} == set(REFERENCE)
    good = run(task, REFERENCE[task])
    assert good["loaded"] and good["tests"] and all(t["passed"] for t in good["tests"]), good
    starter, _ = tryit._task_files(task)
    bad = run(task, starter)
    assert bad["loaded"] and not all(t["passed"] for t in bad["tests"])


def test_code_that_does_not_load_is_reported_not_raised():
    report = run("fizzbuzz", "def fizzbuzz(n) return n\n")
    assert report["loaded"] is False and "SyntaxError" in report["error"]


def test_the_fill_marker_splits_the_snippet_at_the_cursor():
    before, after = tryit.split_snippet("def f():\n    # <fill>\n\nprint(f())\n")
    assert before == "def f():\n    " and after == "\nprint(f())\n"
    with pytest.raises(ValueError, match="fill"):
        tryit.split_snippet("no marker here\n")


def test_the_panel_reads_without_javascript_and_cannot_break_out_of_its_script():
    panel = tryit.Panel("chat", "say </script><b>hi</b>", "fizzbuzz")
    recorded = tryit.Recorded("A model", "an <answer>", 1.5, "the same prompt")
    html = tryit.panel_html(panel, recorded)
    assert "an &lt;answer&gt;" in html and "1.5 s on the build machine" in html
    assert html.count("</script>") == 1  # only the config block's own end tag
    assert "&lt;/script&gt;&lt;b&gt;hi" in html  # the prompt, escaped in its textarea
    assert 'class="tryit-ask-button" type="button" disabled' in html
    config = re.search(r'class="tryit-config">(.*?)</script>', html, re.S).group(1)
    assert json.loads(config)["kind"] == "chat"
