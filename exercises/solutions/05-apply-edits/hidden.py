"""Hidden cases of 05-apply-edits: another repository, chained and late-failing edits."""

from codegen_hero.exercises.ex05_apply_edits import Scenario, block

CONFIG = """import os

DEFAULTS = {"port": 8000, "debug": False}


def load():
    port = int(os.environ.get("PORT", DEFAULTS["port"]))
    return {"port": port}
"""
ROUTES = """def route(path):
    return path.strip("/")


def handle(path):
    return route(path)


def handle_api(path):
    return route(path)
"""
HIDDEN_FILES = {"app/config.py": CONFIG, "app/routes.py": ROUTES}
# The second block edits what the first one wrote; the replacements hold regex specials.
CHAINED = block(
    "app/routes.py",
    'def route(path):\n    return path.strip("/")\n',
    'def route(path):\n    return re.sub(r"/+", "/", path).strip("/")  # \\1 $0\n',
) + block(
    "app/routes.py",
    '    return re.sub(r"/+", "/", path).strip("/")  # \\1 $0\n',
    '    return re.sub(r"(/)+", r"\\1", path).strip("/")\n',
)
CHAINED_ROUTES = ROUTES.replace(
    '    return path.strip("/")\n', '    return re.sub(r"(/)+", r"\\1", path).strip("/")\n'
)
# An edit in one file and a new file are fine; the last block is ambiguous in another file.
LATE_FAILURE = (
    block(
        "app/config.py", '    return {"port": port}\n', '    return {"port": port, "debug": True}\n'
    )
    + block("app/health.py", "", "def ok():\n    return True\n")
    + block("app/routes.py", "    return route(path)\n", "    return route(path.lower())\n")
)
OVERWRITE = block("app/config.py", "", "PORT = 9000\n")
DELETE = block("app/config.py", '\nDEFAULTS = {"port": 8000, "debug": False}\n', "")

SCENARIOS = (
    Scenario(
        "another repo: blocks apply in order, replacements are taken literally",
        HIDDEN_FILES,
        CHAINED,
        {"app/config.py": CONFIG, "app/routes.py": CHAINED_ROUTES},
        hidden=True,
    ),
    Scenario(
        "another repo: a late ambiguous block undoes earlier edits and new files",
        HIDDEN_FILES,
        LATE_FAILURE,
        names="app/routes.py",
        hidden=True,
    ),
    Scenario(
        "another repo: an empty SEARCH for an existing file is refused",
        HIDDEN_FILES,
        OVERWRITE,
        names="app/config.py",
        hidden=True,
    ),
    Scenario(
        "another repo: an empty REPLACE deletes the lines",
        HIDDEN_FILES,
        DELETE,
        {
            "app/config.py": CONFIG.replace('\nDEFAULTS = {"port": 8000, "debug": False}\n', ""),
            "app/routes.py": ROUTES,
        },
        hidden=True,
    ),
)
