from tally import tally, words


def test_words_drop_punctuation():
    got = words("Hello, world! Hello.")
    assert got == ["hello", "world", "hello"], f"got {got!r}"


def test_words_drop_pure_punctuation():
    got = words("wait -- what ?!")
    assert got == ["wait", "what"], f"got {got!r}"


def test_tally_ignores_punctuation():
    got = tally("Yes. yes, NO!")
    assert got == {"yes": 2, "no": 1}, f"got {got!r}"
