# A right implementation of your task, as a string of Python: your TESTS must pass it.
RIGHT = None
