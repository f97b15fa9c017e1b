from tally import main


def test_main_top_option(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("b a b c a b", encoding="utf-8")
    code = main([str(text), "--top", "2"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0, f"exit code {code!r}"
    assert lines == ["b 3", "a 2"], f"got {lines!r}"
