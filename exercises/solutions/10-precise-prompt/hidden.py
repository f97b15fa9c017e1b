"""Hidden checks of 10-precise-prompt: implementations that are wrong whatever formats the
learner chose, which their examples must also reject."""

WRONG = (
    (
        "returns the text unchanged",
        "def parse_date(text):\n    return text\n",
    ),
    (
        "returns a datetime, not a date",
        "import datetime\n\n\n"
        "def parse_date(text):\n"
        "    for fmt in ('%Y-%m-%d', '%d.%m.%Y', '%d %B %Y'):\n"
        "        try:\n"
        "            return datetime.datetime.strptime(text.strip(), fmt)\n"
        "        except ValueError:\n"
        "            pass\n"
        "    raise ValueError(text)\n",
    ),
    (
        "returns today's date for anything it cannot read",
        "import datetime\n\n\n"
        "def parse_date(text):\n"
        "    for fmt in ('%Y-%m-%d', '%d.%m.%Y', '%d %B %Y'):\n"
        "        try:\n"
        "            return datetime.datetime.strptime(text.strip(), fmt).date()\n"
        "        except ValueError:\n"
        "            pass\n"
        "    return datetime.date.today()\n",
    ),
)
