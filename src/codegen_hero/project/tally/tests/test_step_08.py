from tally import main


def test_main_unreadable_file(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    code = main([str(missing)])
    captured = capsys.readouterr()
    assert code == 2, f"exit code {code!r}"
    assert captured.out == "", f"stdout {captured.out!r}"
    assert captured.err.startswith("tally: cannot read"), f"stderr {captured.err!r}"


def test_main_top_below_one(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("a b", encoding="utf-8")
    code = main([str(text), "--top", "0"])
    captured = capsys.readouterr()
    assert code == 2, f"exit code {code!r}"
    assert captured.out == "", f"stdout {captured.out!r}"
    assert "--top must be at least 1" in captured.err, f"stderr {captured.err!r}"
