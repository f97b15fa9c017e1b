# Your tests, as one string of Python: functions named test_..., plain assert, calling the
# function TASK asks for directly (no import needed). For example:
#
# TESTS = """
# def test_simple_case():
#     assert my_function("input") == "expected"
# """
TESTS = None
