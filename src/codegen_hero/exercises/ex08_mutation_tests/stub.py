# Your tests, as one string of Python: test_* functions with plain asserts that call
# discount(...) (it is defined where they run; do not import it). For example:
# TESTS = """
# def test_ten_percent_off():
#     assert discount(50.0, 10) == 45.0
# """
TESTS = None
