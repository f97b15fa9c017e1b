"""Calling models: registry, providers, record/replay cache and cost, layered in that order."""
