# A wrong implementation, as a string of Python: a plausible mistake that runs (a missed edge
# case, a boundary off by one). Your TESTS must catch it.
WRONG = None
