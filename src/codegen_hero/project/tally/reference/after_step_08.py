"""Word counts: see spec.md."""

import argparse
import string
import sys
from collections import Counter


def words(text):
    pieces = (piece.strip(string.punctuation) for piece in text.lower().split())
    return [piece for piece in pieces if piece]


def tally(text):
    return dict(Counter(words(text)))


def top(text, n):
    if n < 1:
        raise ValueError("n must be at least 1")
    return sorted(tally(text).items(), key=lambda pair: (-pair[1], pair[0]))[:n]


def main(argv):
    parser = argparse.ArgumentParser(prog="tally")
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    if args.top < 1:
        print("tally: --top must be at least 1", file=sys.stderr)
        return 2
    try:
        with open(args.file, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        print(f"tally: cannot read {args.file}", file=sys.stderr)
        return 2
    for word, count in top(text, args.top):
        print(word, count)
    return 0
