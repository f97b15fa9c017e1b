import io
import subprocess
import sys
from pathlib import Path

from tally import main


def test_main_reads_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x y x"))
    code = main(["-", "--top", "1"])
    assert code == 0, f"exit code {code!r}"
    assert capsys.readouterr().out.splitlines() == ["x 2"]


def test_script_runs_main(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hi hi you", encoding="utf-8")
    script = Path(__file__).with_name("tally.py")
    done = subprocess.run(
        [sys.executable, str(script), str(text), "--top", "1"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["hi 2"], f"got {done.stdout!r}"
