from solution import word_count


def test_simple_sentence():
    assert word_count("the quick brown fox") == 4


def test_empty_text_has_no_words():
    assert word_count("") == 0


def test_runs_of_whitespace_and_newlines():
    assert word_count("  one\ttwo\n\nthree  ") == 3
