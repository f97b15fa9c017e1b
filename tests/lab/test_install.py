"""Installing the extension into a prefix: what a plain `jupyter lab` then finds."""

from __future__ import annotations

import json

from codegen_hero.lab import EXTENSION
from codegen_hero.lab.install import install, main


def test_install_writes_the_extension_and_enables_the_server_side(tmp_path):
    written = install(tmp_path)
    target = tmp_path / "share" / "jupyter" / "labextensions" / EXTENSION
    package = json.loads((target / "package.json").read_text())
    entry = target / package["jupyterlab"]["_build"]["load"]
    assert entry.is_file() and entry.name.startswith("remoteEntry.") and entry in written
    assert "window._JUPYTERLAB" in entry.read_text()
    assert package["name"] == EXTENSION and package["jupyterlab"]["_build"]["extension"]
    assert json.loads((target / "install.json").read_text())["packageName"] == "codegen-hero"
    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "codegen_hero.json"
    assert json.loads(config.read_text()) == {
        "ServerApp": {"jpserver_extensions": {"codegen_hero.lab": True}}
    }


def test_install_is_idempotent_and_replaces_a_stale_script(tmp_path, capsys):
    install(tmp_path)
    assert install(tmp_path) == []
    static = tmp_path / "share" / "jupyter" / "labextensions" / EXTENSION / "static"
    old = static / "remoteEntry.0123456789abcdef.js"
    old.write_text("// an older build")
    assert install(tmp_path) == [old] and not old.exists()
    assert len(list(static.glob("remoteEntry.*.js"))) == 1
    assert main(["--prefix", str(tmp_path)]) == 0
    assert "already up to date" in capsys.readouterr().out
