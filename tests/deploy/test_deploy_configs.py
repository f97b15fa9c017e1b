"""Serving beyond one machine: the GPU box's llama-server flags and the JupyterHub config.

What can be tested here is: the files parse, the JupyterHub hook hands each learner their own
key from a key file `hero serve` wrote, and llama-server runs with the GPU config's flags (on
a CPU build the GPU flag is ignored) while `bench/room.py` measures it over the network API.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
import types
import urllib.request
from pathlib import Path

import pytest
import yaml

from codegen_hero.models.local_files import ensure_ready
from codegen_hero.models.registry import load_registry
from codegen_hero.workshop import room_keys
from codegen_hero.workshop.engine import LLAMA_SERVER, free_loopback_port
from tests.workshop.room_server import need_engine, start_serve

ROOT = Path(__file__).resolve().parents[2]
GPU = ROOT / "deploy" / "gpu"
HUB = ROOT / "deploy" / "jupyterhub"


def gpu_flags() -> list[str]:
    lines = (GPU / "llama-server.args").read_text().splitlines()
    return [word for line in lines if line.strip() and not line.lstrip().startswith("#")
            for word in shlex.split(line)]  # fmt: skip


def test_the_gpu_flags_give_every_slot_the_labs_context_and_no_silent_cut():
    flags = gpu_flags()
    value = {a: b for a, b in zip(flags, flags[1:], strict=False) if a.startswith("--")}
    context = load_registry().get(load_registry().default).context
    assert int(value["--ctx-size"]) == int(value["--parallel"]) * context
    assert {"--no-kv-unified", "--no-context-shift", "--cont-batching"} <= set(flags)
    assert "--api-key" not in flags  # the keys come from a file, never the command line
    script = (GPU / "serve.sh").read_text()
    assert "--api-key-file" in script and "llama-server.args" in script
    subprocess.run(["bash", "-n", str(GPU / "serve.sh")], check=True)


def hub_values() -> dict:
    return yaml.safe_load((HUB / "config.yaml").read_text())


def test_the_jupyterhub_values_point_learners_at_the_room_server():
    values = hub_values()
    env = values["singleuser"]["extraEnv"]
    assert env["HERO_ROOM_URL"].endswith("/v1") and "HERO_ROOM_KEY" not in env  # per learner
    mounts = values["hub"]["extraVolumeMounts"]
    assert mounts[0]["mountPath"] == "/etc/hero-room" and mounts[0]["readOnly"] is True
    assert values["hub"]["extraVolumes"][0]["secret"]["secretName"] == "hero-room-keys"
    start = values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert (
        "/opt/course-release" in start[-1]
        and "/opt/course-release" in (HUB / "Dockerfile").read_text()
    )


def test_the_hub_hook_gives_each_learner_their_own_key(tmp_path, monkeypatch):
    keys_file = tmp_path / "keys.txt"
    room_keys.write(keys_file, [("alice", room_keys.new_key()), ("bob", room_keys.new_key())])
    expected = dict(room_keys.parse(keys_file.read_text()))
    monkeypatch.setenv("HERO_ROOM_KEYS_FILE", str(keys_file))
    config = types.SimpleNamespace(KubeSpawner=types.SimpleNamespace())
    exec(compile(hub_values()["hub"]["extraConfig"]["hero-room-key"], "extraConfig", "exec"),
         {"c": config})  # fmt: skip
    hook = config.KubeSpawner.pre_spawn_hook
    warnings: list[str] = []
    for name in ("alice", "bob", "mallory"):
        spawner = types.SimpleNamespace(
            user=types.SimpleNamespace(name=name),
            environment={},
            log=types.SimpleNamespace(warning=lambda *a: warnings.append(a[0] % a[1:])),
        )
        hook(spawner)
        assert spawner.environment.get("HERO_ROOM_KEY") == expected.get(name)
    assert len(warnings) == 1 and "mallory" in warnings[0]


def run_bench(url: str, key: str, model: str) -> str:
    command = [sys.executable, str(ROOT / "bench" / "room.py"), "--url", url, "--key", key]
    command += ["--model", model, "--learners", "1,2", "--tokens", "8", "--rounds", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"2 learners:\s+[\d.]+ tok/s aggregate", done.stdout), done.stdout
    assert "0 errors" in done.stdout and "error:" not in done.stderr
    return done.stdout


@pytest.mark.slow
def test_llama_server_runs_with_the_gpu_flags_and_the_bench_measures_it(smallest, tmp_path):
    """The same flags, with two slots instead of 32 (this machine's memory) and loopback."""
    need_engine(LLAMA_SERVER)
    from codegen_hero.workshop.engine import llama_server_binary

    spec = load_registry().get(smallest)
    keys_file = tmp_path / "keys.txt"
    pairs, _ = room_keys.load_or_create(keys_file, 2)
    port = free_loopback_port()
    overrides = {"--parallel": "2", "--ctx-size": str(2 * spec.context), "--host": "127.0.0.1",
                 "--port": str(port)}  # fmt: skip
    flags = gpu_flags()
    flags = [overrides.get(prev, word) for prev, word in zip(["", *flags[:-1]], flags, strict=True)]
    command = [str(llama_server_binary()), "--model", str(ensure_ready(spec))]
    command += ["--alias", "room-model", "--api-key-file", str(keys_file), "--threads", "1"]
    log = (tmp_path / "llama-server.log").open("w")
    server = subprocess.Popen([*command, *flags], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "llama-server.log").read_text()
                time.sleep(0.3)
        run_bench(f"http://127.0.0.1:{port}/v1", pairs[1][1], "room-model")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_the_bench_measures_hero_serve_as_learners_reach_it(smallest, tmp_path):
    served = start_serve(smallest, tmp_path, "auto")
    try:
        run_bench(served.url, served.key(0), smallest.split("/", 1)[1])
        assert served.status()["learners"][0]["requests"] >= 3
    finally:
        assert served.stop() == 0
