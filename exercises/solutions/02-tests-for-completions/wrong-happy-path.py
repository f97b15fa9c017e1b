# Happy-path tests only: odd lengths, already sorted, symmetric. They pass on almost every
# plausible completion, so the autocomplete's bugs sail through.
TESTS = """
def test_three_values():
    assert median([1, 2, 3]) == 2


def test_five_values():
    assert median([10, 20, 30, 40, 50]) == 30


def test_single_value():
    assert median([4.0]) == 4.0
"""
