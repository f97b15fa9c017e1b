"""Deterministic helpers the labs share: prompt builders, packers, loops."""
