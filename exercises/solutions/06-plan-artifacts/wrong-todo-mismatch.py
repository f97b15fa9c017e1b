# A todo list written from memory, grouping steps: it no longer maps one to one onto the
# plan, so the tool cannot tick off the step it just finished.
SPEC = """# wordtally: specification

## Requirements
- `wordtally FILE... [--top N] [--json]` counts how often each word occurs across all the
  given UTF-8 text files.
- Words are lower-cased; punctuation is not part of a word; an apostrophe inside a word is
  (`don't` is one word).
- Prints the N most common words (default 10), most common first, ties in alphabetical
  order, one `count word` pair per line; `--json` prints `{"word": count, ...}` instead.

## Architecture
Three small modules with one job each, so every piece can be tested alone:
- `words.py`: `split_words(text) -> list[str]`, a pure function around one regular expression.
- `tally.py`: `tally_files(paths) -> (Counter, list[error])`, reads files one at a time.
- `cli.py`: argument parsing with argparse, ranking, output formatting and exit codes.
The CLI is the only module that prints or exits.

## Data handling
Input is read one file at a time as UTF-8 and never held all at once: only the running
Counter stays in memory. Output goes to stdout, either as plain text lines or as one JSON
object with words as keys in ranking order. Nothing is written to disk.

## Error handling
- A file that does not exist, cannot be opened or is not valid UTF-8 is reported on stderr
  as `wordtally: PATH: reason` and skipped; the other files are still counted.
- If no file could be read, print the reports and exit with code 1.
- Bad arguments (no files, `--top` not a positive integer) exit with code 2 and argparse's
  usage message.

## Testing plan
Unit tests with pytest for `split_words` (punctuation, apostrophes, case), for
`tally_files` using files in `tmp_path` (one file, many files, unreadable files) and for
ranking ties. End-to-end tests run `main(argv)` and check stdout, stderr and the exit code
for text output, JSON output, a missing file among good ones and only missing files.
"""

PROMPT_PLAN = """# wordtally prompt plan

## Step 1: Project skeleton and argument parsing
Create `cli.py` with `parse_args(argv)` using argparse: one or more FILE arguments, `--top N`
(a positive integer, default 10) and a `--json` flag. Write tests first: parsing two files
gives both paths, `--top 3` gives 3, and `--top 0` or no files exits with code 2.

## Step 2: Split text into words
Create `words.py` with `split_words(text)`: lower-case the text and return the words, where
punctuation separates words and an apostrophe inside a word is kept. Tests cover
"Hello, world!", "Don't stop" and an empty string.

## Step 3: Count words in one file
Create `tally.py` with `tally_file(path) -> Counter` that reads one UTF-8 file and counts
its words with `split_words`. Tests write a small file to `tmp_path` and check the counts,
including a word that appears in different cases.

## Step 4: Count words across many files
Add `tally_files(paths) -> (Counter, errors)` that sums `tally_file` over every path. Tests
check that counts from two files add up and that the order of the paths does not matter.

## Step 5: Rank and print the most common words
In `cli.py`, add `rank(counts, n)` returning the top n pairs, most common first, ties in
alphabetical order, and `format_text(pairs)`. Tests cover ties, n larger than the number of
words and the exact text lines.

## Step 6: JSON output
Add `format_json(pairs)` that prints one JSON object with words in ranking order. Tests
parse the output with `json.loads` and compare it with the ranked pairs.

## Step 7: Unreadable files and exit codes
Make `tally_files` catch missing files, permission errors and invalid UTF-8, record a
`wordtally: PATH: reason` message per file and carry on. Tests check the messages, that good
files are still counted and that an empty result is reported.

## Step 8: Wire everything together
Write `main(argv=None)` that wires the pieces together: parse arguments, tally the files,
print errors to stderr, print text or JSON to stdout and return the exit code (1 when no file
was readable). Add the console entry point. End-to-end tests run `main` on real files in
`tmp_path` for each output mode and each error case.
"""

TODO = """# wordtally todo

- [ ] Steps 1-2: arguments and words
- [ ] Steps 3-4: counting
- [ ] Steps 5-6: output
- [ ] Step 7: errors
- [ ] Step 8: wire everything together
"""
