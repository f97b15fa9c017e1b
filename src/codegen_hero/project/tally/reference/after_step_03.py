"""Word counts: see spec.md."""

from collections import Counter


def words(text):
    return text.lower().split()


def tally(text):
    return dict(Counter(words(text)))


def top(text, n):
    return sorted(tally(text).items(), key=lambda pair: (-pair[1], pair[0]))[:n]
