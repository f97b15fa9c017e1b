from tally import words


def test_words_lowercase():
    got = words("Hello World")
    assert got == ["hello", "world"], f"got {got!r}"


def test_words_any_whitespace():
    got = words("  a  B\tc\n")
    assert got == ["a", "b", "c"], f"got {got!r}"


def test_words_keep_their_order():
    got = words("the cat saw a dog")
    assert got == ["the", "cat", "saw", "a", "dog"], f"got {got!r}"
