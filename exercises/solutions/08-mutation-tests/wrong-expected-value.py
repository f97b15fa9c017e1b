# Thorough, but one expectation comes from a misread spec ("a 100 % discount must be a
# mistake"), so the suite fails on the correct function and proves nothing.
TESTS = """
import pytest


def test_ordinary_discount():
    assert discount(80.0, 25) == 60.0


def test_rounds_to_cents():
    assert discount(19.99, 15) == 16.99


def test_zero_price_is_allowed():
    assert discount(0, 50) == 0


def test_hundred_percent_is_rejected():
    with pytest.raises(ValueError):
        discount(80.0, 100)


def test_negative_price_raises():
    with pytest.raises(ValueError):
        discount(-0.5, 10)


def test_percent_above_hundred_raises():
    with pytest.raises(ValueError):
        discount(10.0, 100.5)
"""
