# One happy-path test: it proves the function works on a typical input and nothing else,
# so most mutants (every boundary and validation change) survive.
TESTS = """
def test_discount():
    assert discount(100.0, 10) == 90.0
"""
