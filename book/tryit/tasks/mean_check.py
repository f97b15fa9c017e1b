from solution import mean


def test_three_values():
    assert mean([1.0, 2.0, 3.0]) == 2.0


def test_empty_list():
    assert mean([]) == 0.0


def test_true_division_not_floor():
    assert mean([1, 2]) == 1.5


def test_the_input_is_not_changed():
    values = [3.0, 1.0]
    mean(values)
    assert values == [3.0, 1.0]
