from solution import parse_duration


def test_hours_and_minutes():
    assert parse_duration("1h30m") == 5400


def test_seconds_alone():
    assert parse_duration("45s") == 45


def test_all_three_units():
    assert parse_duration("2h0m5s") == 7205


def test_garbage_is_refused():
    for bad in ("", "abc", "10", "5x"):
        try:
            parse_duration(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
