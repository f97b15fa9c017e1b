from tally import main


def test_main_prints_word_count_lines(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("the cat and the hat. The end!", encoding="utf-8")
    code = main([str(text)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0, f"exit code {code!r}"
    assert lines[:2] == ["the 3", "and 1"], f"got {lines!r}"
    assert len(lines) == 5, f"got {lines!r}"


def test_main_prints_at_most_ten(tmp_path, capsys):
    text = tmp_path / "many.txt"
    text.write_text(" ".join(f"w{i:02d}" for i in range(25)), encoding="utf-8")
    main([str(text)])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10, f"got {len(lines)} lines"
