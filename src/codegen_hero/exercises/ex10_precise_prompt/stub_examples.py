# Your examples, as tests: one string of Python with functions named test_... that call
# parse_date directly (no import of it needed) and use plain assert or pytest.raises.
# For example:
#
# EXAMPLES = """
# import datetime
#
# def test_iso():
#     assert parse_date("2024-03-01") == datetime.date(2024, 3, 1)
# """
EXAMPLES = None
