"""Test doubles used by the test suite and benchmarks (never by production code)."""
