# One test per promise of the docstring, with inputs on which the plausible bugs disagree.
TESTS = """
def test_odd_length_unsorted():
    assert median([3.0, -1.0, 2.0]) == 2.0


def test_even_length_averages_the_two_middles():
    assert median([4, 1, 3, 2]) == 2.5


def test_even_length_of_two():
    assert median([1.0, 2.0]) == 1.5


def test_negative_values():
    assert median([-5.0, -1.0, -3.0, -2.0]) == -2.5


def test_single_value():
    assert median([7.5]) == 7.5


def test_mean_is_not_the_median():
    assert median([1.0, 2.0, 100.0]) == 2.0


def test_input_is_not_modified():
    values = [3.0, 1.0, 2.0]
    median(values)
    assert values == [3.0, 1.0, 2.0]


def test_empty_raises_value_error():
    try:
        median([])
    except ValueError:
        return
    raise AssertionError("median([]) did not raise ValueError")
"""
