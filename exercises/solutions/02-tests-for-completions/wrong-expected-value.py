# A test with a wrong expected value: the learner took the lower middle value as the median of
# an even-length list. It fails on a correct median, so the test suite itself is wrong.
TESTS = """
def test_unsorted():
    assert median([3.0, 1.0, 2.0]) == 2.0


def test_even_length():
    assert median([1.0, 2.0, 3.0, 4.0]) == 2.0


def test_empty():
    try:
        median([])
    except ValueError:
        return
    assert False, "no ValueError"
"""
