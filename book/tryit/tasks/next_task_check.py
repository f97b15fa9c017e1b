from solution import next_task

TODO = """# todo
- [x] write the spec
- [ ] cut it into steps
- [ ] wire everything together
"""


def test_first_unchecked_step():
    assert next_task(TODO) == "cut it into steps"


def test_all_done():
    assert next_task("- [x] one\n- [x] two\n") is None


def test_lines_that_are_not_steps_are_ignored():
    assert next_task("notes: - [ ] not a step\n  - [ ] indented step\n") == "indented step"
