from tally import tally


def test_tally_counts():
    got = tally("a b a")
    assert got == {"a": 2, "b": 1}, f"got {got!r}"


def test_tally_of_nothing():
    got = tally("")
    assert got == {}, f"got {got!r}"
