from tally import top


def test_top_most_common_first():
    got = top("b a b c a b", 2)
    assert got == [("b", 3), ("a", 2)], f"got {got!r}"


def test_top_breaks_ties_alphabetically():
    got = top("y x z", 2)
    assert got == [("x", 1), ("y", 1)], f"got {got!r}"


def test_top_with_fewer_words_than_n():
    got = top("a a b", 5)
    assert got == [("a", 2), ("b", 1)], f"got {got!r}"
