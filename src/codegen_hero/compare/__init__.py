"""Side-by-side comparison of models: fan-out, sandboxed test runs, pass@k, views."""

from codegen_hero.compare.comparison import Comparison, ModelSummary, Row
from codegen_hero.compare.fanout import compare

__all__ = ["Comparison", "ModelSummary", "Row", "compare"]
