# Your tests, as one string of Python. Each test is a function named test_...; it can call
# median directly (no import needed) and uses plain assert. For example:
#
# TESTS = """
# def test_single_value():
#     assert median([5.0]) == 5.0
# """
TESTS = None
