"""Hidden cases of 03-review-prompt: files in other languages, one with no known language."""

from codegen_hero.exercises.ex03_review_prompt import Scenario, line_of


def _long_js() -> str:
    parts = [
        '"use strict";\n\nconst express = require("express");\nconst router = express.Router();\n'
    ]
    for name in ("users", "teams", "projects", "invoices", "reports", "tokens", "events"):
        parts.append(
            f'\nrouter.get("/{name}/:id", async (req, res) => {{\n'
            f"  const item = await req.db.{name}.find(req.params.id);\n"
            "  if (!item) {\n"
            '    return res.status(404).json({ error: "not found" });\n'
            "  }\n"
            "  if (item.owner !== req.user.id) {\n"
            '    return res.status(403).json({ error: "forbidden" });\n'
            "  }\n"
            "  res.json(item);\n"
            "});\n"
        )
    parts.append("\nmodule.exports = router;\n")
    return "".join(parts)


SHORT_GO = """package main

import "fmt"

func average(values []float64) float64 {
\tsum := 0.0
\tfor _, v := range values {
\t\tsum += v
\t}
\treturn sum / float64(len(values))
}

func main() {
\tfmt.Println(average(nil))
}
"""
SHORT_SQL = """CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    balance NUMERIC
);

CREATE INDEX accounts_email ON accounts (email);
"""


LONG_JS = _long_js()
_TOKENS = 'router.get("/tokens/:id", async (req, res) => {'

SCENARIOS = (
    Scenario(
        "a Go file",
        SHORT_GO,
        "cmd/stats/main.go",
        "What does average(nil) print, and how should it handle an empty slice?",
        line_of(SHORT_GO, "\treturn sum / float64(len(values))"),
        (5, 11),
        400,
        True,
        True,
    ),
    Scenario(
        "long JavaScript file, question about a late route",
        LONG_JS,
        "api/routes.js",
        "In the /tokens route, is the 403 check done before or after the 404 check, and does "
        "the order leak which ids exist?",
        line_of(LONG_JS, "  if (item.owner !== req.user.id) {", after=_TOKENS),
        (line_of(LONG_JS, _TOKENS), line_of(LONG_JS, "});", after=_TOKENS)),
        250,
        False,
        True,
    ),
    Scenario(
        "a file with no known language",
        SHORT_SQL,
        "db/schema.sql",
        "Is the index on email enough to make email unique?",
        line_of(SHORT_SQL, "CREATE INDEX accounts_email ON accounts (email);"),
        (7, 7),
        300,
        True,
        True,
    ),
)
