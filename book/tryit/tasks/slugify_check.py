from solution import slugify


def test_words_are_joined_by_hyphens():
    assert slugify("Hello World") == "hello-world"


def test_punctuation_is_dropped():
    assert slugify("What's new, in 2026?") == "whats-new-in-2026"


def test_no_leading_trailing_or_double_hyphens():
    assert slugify("  --Chat   about code--  ") == "chat-about-code"
