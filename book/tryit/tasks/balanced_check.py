from solution import balanced


def test_nested():
    assert balanced("f(a[0], {b: (c)})")


def test_wrong_order():
    assert not balanced("([)]")


def test_unclosed_and_unopened():
    assert not balanced("((")
    assert not balanced("())")
