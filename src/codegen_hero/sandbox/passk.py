"""pass@k: the chance that at least one of k samples passes, estimated from n samples with c
passing. The unbiased estimator 1 - C(n-c, k) / C(n, k) (Chen et al., 2021), computed as a
product so large n never overflows or loses precision in huge binomials."""

from __future__ import annotations

import math


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn from n (c of them correct) is correct."""
    for name, value in (("n", n), ("c", c), ("k", k)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"pass_at_k: {name} must be an int, not {value!r}")
    if n < 1:
        raise ValueError(f"pass_at_k: n (samples) must be >= 1, got n={n}")
    if not 0 <= c <= n:
        raise ValueError(f"pass_at_k: c (correct) must be between 0 and n={n}, got c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"pass_at_k: k must be between 1 and n={n}, got k={k}")
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))
