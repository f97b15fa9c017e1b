import pytest
from tally import top


@pytest.mark.parametrize("n", [0, -3])
def test_top_refuses_n_below_one(n):
    with pytest.raises(ValueError, match="at least 1"):
        top("a b", n)


def test_top_of_one():
    got = top("b a b", 1)
    assert got == [("b", 2)], f"got {got!r}"
