"""Hidden cases of 03-review-prompt: files in other languages, one with no known language."""

from codegen_hero.exercises.ex03_review_prompt import Scenario


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


SCENARIOS = (
    Scenario(
        "a Go file",
        SHORT_GO,
        "cmd/stats/main.go",
        "What does average(nil) print, and how should it handle an empty slice?",
        400,
        True,
        True,
    ),
    Scenario(
        "long JavaScript file, tight budget",
        _long_js(),
        "api/routes.js",
        "Is the 403 check done before or after the 404 check, and does the order leak "
        "which ids exist?",
        250,
        False,
        True,
    ),
    Scenario(
        "a file with no known language",
        SHORT_SQL,
        "db/schema.sql",
        "Is the index on email enough to make email unique?",
        300,
        True,
        True,
    ),
)
