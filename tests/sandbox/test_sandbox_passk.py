"""pass@k: known values, edge cases, stability for large n, and input validation."""

from __future__ import annotations

import math

import pytest

from codegen_hero.sandbox import pass_at_k


def naive(n: int, c: int, k: int) -> float:
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (10, 1, 1, 0.1),
        (10, 5, 2, 1 - 10 / 45),  # 1 - C(5,2)/C(10,2)
        (200, 10, 10, naive(200, 10, 10)),
        (20, 3, 5, naive(20, 3, 5)),
        (100, 100, 50, 1.0),
    ],
)
def test_known_values(n: int, c: int, k: int, expected: float) -> None:
    assert pass_at_k(n, c, k) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("n", "c"), [(1, 0), (1, 1), (7, 3), (200, 37), (1000, 999)])
def test_k_equal_one_is_the_pass_rate(n: int, c: int) -> None:
    assert pass_at_k(n, c, 1) == pytest.approx(c / n)


@pytest.mark.parametrize(("n", "k"), [(1, 1), (10, 1), (10, 10), (500, 100)])
def test_no_correct_sample_means_zero(n: int, k: int) -> None:
    assert pass_at_k(n, 0, k) == 0.0


@pytest.mark.parametrize(("n", "c", "k"), [(10, 8, 3), (10, 10, 1), (5, 1, 5), (100, 60, 41)])
def test_too_few_wrong_samples_to_fill_k_means_one(n: int, c: int, k: int) -> None:
    assert n - c < k
    assert pass_at_k(n, c, k) == 1.0


def test_large_n_stays_finite_and_monotonic_in_k() -> None:
    values = [pass_at_k(10_000, 17, k) for k in (1, 10, 100, 1000)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)
    assert values[0] == pytest.approx(17 / 10_000)


@pytest.mark.parametrize(
    ("n", "c", "k", "message"),
    [
        (0, 0, 1, "n"),
        (5, 6, 1, "c"),
        (5, -1, 1, "c"),
        (5, 2, 0, "k"),
        (5, 2, 6, "k"),
        (5.0, 2, 1, "int"),
        (5, True, 1, "int"),
    ],
)
def test_invalid_inputs_raise_value_error(n, c, k, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pass_at_k(n, c, k)
