"""Word counts: see spec.md."""
