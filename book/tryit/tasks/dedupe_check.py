from solution import dedupe


def test_order_of_first_appearance_is_kept():
    assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]


def test_empty():
    assert dedupe([]) == []


def test_the_input_is_not_changed():
    items = ["b", "a", "b"]
    assert dedupe(items) == ["b", "a"]
    assert items == ["b", "a", "b"]
