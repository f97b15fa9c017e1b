from solution import retry


def flaky(failures: int):
    calls = []

    def action():
        calls.append(1)
        if len(calls) <= failures:
            raise OSError(f"failure {len(calls)}")
        return "ok"

    return action, calls


def test_succeeds_after_two_failures():
    action, calls = flaky(2)
    assert retry(action, 3) == "ok"
    assert len(calls) == 3


def test_gives_up_with_the_last_error():
    action, calls = flaky(5)
    try:
        retry(action, 2)
    except OSError as exc:
        assert str(exc) == "failure 2"
    else:
        raise AssertionError("no exception after every attempt failed")
    assert len(calls) == 2
