"""Hidden cases of 04-pack-context: another repository the learner never sees."""

from codegen_hero.exercises.ex04_pack_context import MAX_FILE_CHARS, Scenario

# nested ignored folders, a plain name that is a
# folder, a commented-out pattern, negation, bytes that are text, and the size limit's edge.
HIDDEN_FILES: dict[str, str | bytes] = {
    "README.md": "# inventory\n\nTrack stock levels.\n",
    "app/main.py": "from app.models import Item\n\n\ndef run():\n    return [Item('pen', 3)]\n",
    "app/models.py": (
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Item:\n"
        "    name: str\n    quantity: int\n"
    ),
    "app/build.py": "def build_index(items):\n    return {item.name: item for item in items}\n",
    "docs/api.md": "# API\n\n"
    + "".join(f"## GET /items/{n}\n\nReturns item number {n} as JSON.\n\n" for n in range(60)),
    "docs/changelog.md": "# Changelog\n\n- 0.2: quantities\n",
    "notes.tmp": "remember to delete the staging database\n",
    "important.tmp": "this temp file is kept on purpose\n",
    "web/node_modules/left-pad/index.js": "module.exports = leftPad;\n",
    "venv/lib/site.py": "# a virtualenv that slipped into the tree\n",
    "config/.env": "DATABASE_PASSWORD=hunter2-prod-Zk81\n",
    "fonts/mono.ttf": b"\x00\x01\x00\x00\x00\x0fglyphs",
    "data/legacy.txt": "caf\xe9 cr\xe8me".encode("latin-1"),
    "data/greeting.txt": "na\u00efve caf\u00e9 \u2014 bonjour\n".encode(),
    "data/exact.txt": "word " * (MAX_FILE_CHARS // 5),
    "data/over.txt": "word " * (MAX_FILE_CHARS // 5) + "!",
}
HIDDEN_GITIGNORE = """# *.md
*.tmp
!important.tmp
node_modules/
build/
venv
.env

"""
HIDDEN_PRIORITY = ["app/main.py", "docs/*.md", "missing.py"]
HIDDEN_ORDER = [
    "app/main.py",
    "docs/api.md",
    "docs/changelog.md",
    "README.md",
    "app/build.py",
    "app/models.py",
    "data/exact.txt",
    "data/greeting.txt",
    "important.tmp",
]
HIDDEN_IGNORED = [
    "notes.tmp",
    "web/node_modules/left-pad/index.js",
    "venv/lib/site.py",
    "config/.env",
]
HIDDEN_SKIPPED = ["fonts/mono.ttf", "data/legacy.txt", "data/over.txt"]

HIDDEN = {
    "files": HIDDEN_FILES,
    "gitignore": HIDDEN_GITIGNORE,
    "priority": HIDDEN_PRIORITY,
    "order": HIDDEN_ORDER,
    "ignored": HIDDEN_IGNORED,
    "skipped": HIDDEN_SKIPPED,
    "secret": "hunter2-prod-Zk81",
    "hidden": True,
}
SCENARIOS = (
    Scenario("another repo", **HIDDEN),
    Scenario(
        "another repo, tight budget",
        **HIDDEN,
        too_big=frozenset({"docs/api.md", "data/exact.txt"}),
        slack=60,
    ),
)
