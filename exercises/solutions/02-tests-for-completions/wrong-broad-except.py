# Good tests, but the empty-list test catches any Exception: a completion that crashes with
# IndexError (no check for empty input at all) passes for one that raises ValueError.
TESTS = """
def test_unsorted():
    assert median([3.0, -1.0, 2.0]) == 2.0


def test_even_length():
    assert median([4, 1, 3, 2]) == 2.5


def test_two_values():
    assert median([1.0, 2.0]) == 1.5


def test_single_value():
    assert median([7.5]) == 7.5


def test_skewed():
    assert median([1.0, 2.0, 100.0]) == 2.0


def test_input_unchanged():
    values = [3.0, 1.0, 2.0]
    median(values)
    assert values == [3.0, 1.0, 2.0]


def test_empty():
    try:
        median([])
    except Exception:
        return
    assert False, "median([]) should raise"
"""
