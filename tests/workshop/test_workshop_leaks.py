"""What counts as a leak: distinctive code (a long line, or two lines in a row), anywhere."""

from __future__ import annotations

import nbformat

from codegen_hero.workshop.leaks import (
    Secret,
    code_pieces,
    normalise,
    notebook_texts,
    scan,
    secrets_for,
)


def test_one_generic_line_is_not_a_leak_but_two_in_a_row_are(tmp_path):
    solution = "if isinstance(content, bytes):\n    content = content.decode('utf-8')\n"
    secrets = [Secret(piece, "a solution") for piece in code_pieces(solution)]
    (tmp_path / "honest.py").write_text("if isinstance(content, bytes):\n    skip(content)\n")
    assert scan(tmp_path, secrets) == []
    (tmp_path / "copied.py").write_text("  if isinstance(content, bytes):\n\n" + solution)
    (hit,) = scan(tmp_path, secrets)
    assert hit.startswith("copied.py contains") and "a solution" in hit


def test_a_long_line_is_a_leak_on_its_own():
    line = "return sorted(values)[len(values) // 2] if len(values) % 2 else mean_of_middle"
    assert line in list(code_pieces(f"x = 1\n{line}\n"))
    assert normalise("  try:\n    pass\n  value = compute(x)\n") == "value = compute(x)"


def test_quotes_escaped_in_a_notebooks_json_are_still_found(tmp_path):
    source = 'if result.get("finish_reason") == "length":\n    return "cut-off"'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nbformat.write(nb, tmp_path / "lab.ipynb")
    assert '\\"finish_reason\\"' in (tmp_path / "lab.ipynb").read_text()  # escaped on disk
    assert 'if result.get("finish_reason") == "length":' in notebook_texts(tmp_path / "lab.ipynb")
    hits = scan(tmp_path, [Secret(p, "reference") for p in code_pieces(source)])
    assert hits and all("lab.ipynb" in h for h in hits)


def test_outputs_are_searched_too(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("check()")])
    text = "  FAIL  hidden: mixed costs: never more than 2 calls in flight"
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nb, tmp_path / "lab.ipynb")
    secret = Secret("hidden: mixed costs: never more than 2 calls in flight", "hidden case")
    assert scan(tmp_path, [secret])


def test_every_exercise_yields_secrets_that_its_own_notebook_does_not_contain():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "exercises"
    public = "\n".join(notebook_texts(p) for p in root.glob("*.ipynb"))
    secrets = secrets_for("08-guarded-fanout", root / "solutions", public)
    origins = {s.origin.split("/")[0].split(".")[0] for s in secrets}
    assert {"solutions", "hidden case of 08-guarded-fanout"} <= origins
    from_key = {s.origin for s in secrets if "hidden.py:" in s.origin}
    assert from_key == {"solutions/08-guarded-fanout/hidden.py:SCENARIOS"}
    assert all(s.text not in public for s in secrets)
