"""Runs one notebook top to bottom with papermill, inside the sandbox, and reports how it went.

A standalone script copied into the sandbox's control folder (the `notebook` profile of
`run_code`). It prints one JSON event per line after MARK on stdout: `cell` as each cell
starts, then one `done` with the outcome. The kernel's own prints reach papermill over zmq,
never this stdout, so a notebook cannot forge the report by printing the marker. The kernel
inherits PYTHONPATH (the folder our package is imported from), so it imports the same
package as the process that asked for the run.

Usage: python -I notebook_driver.py NOTEBOOK OUTPUT_CAP_BYTES START_TIMEOUT_S IMPORT_ROOT
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

MARK = "@@hero-notebook@@"
KERNEL_ENV = {
    "HERO_SANDBOX": "rlimits",  # no sandbox inside the sandbox
    "HERO_CACHE": "replay",
    "MPLBACKEND": "Agg",
    "HERO_PROGRESS": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


PROVISIONERS = "jupyter_client.kernel_provisioners"
ENCRYPTED = "hero-encrypted"  # codegen_hero.kernels: no "running over TCP" warning per kernel


def use_encrypted_kernel() -> None:
    """Start the kernel through the package's encrypted provisioner, if it loads here."""
    from importlib.metadata import entry_points

    for provisioner in entry_points(group=PROVISIONERS, name=ENCRYPTED):
        try:
            provisioner.load()
        except Exception:  # noqa: BLE001 - an unencrypted kernel still grades
            return
        os.environ.setdefault("JUPYTER_DEFAULT_PROVISIONER_NAME", ENCRYPTED)


def say(event: str, **data: Any) -> None:
    sys.stdout.write(MARK + json.dumps(dict(event=event, **data)) + "\n")
    sys.stdout.flush()


class OutputTooLarge(Exception):
    """The notebook printed more than the cap allows; the args hold the cell's index."""


def cap_kernel_output(limit: int) -> None:
    """Count every output message the kernel sends; past `limit` bytes, stop the run."""
    import nbclient.client as nbc

    seen = [0]
    original = nbc.NotebookClient.output

    def capped(self: Any, outs: Any, msg: dict[str, Any], display_id: Any, index: int) -> Any:
        seen[0] += len(json.dumps(msg.get("content", {})))
        if seen[0] > limit:
            raise OutputTooLarge(index)
        return original(self, outs, msg, display_id, index)

    nbc.NotebookClient.output = capped  # type: ignore[method-assign,assignment]


def run(notebook: str, cap: int, start_timeout: int) -> None:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill import execute_notebook
    from papermill.exceptions import PapermillExecutionError

    cap_kernel_output(cap)

    def on_start(cell: Any = None, cell_index: int = 0, **_: Any) -> None:
        say("cell", index=cell_index)

    try:
        execute_notebook(
            notebook,
            None,
            kernel_name="python3",
            progress_bar=False,
            cwd=".",
            start_timeout=start_timeout,
            on_cell_start=on_start,
            shutdown_kernel="immediate",
        )
        say("done", outcome="ok")
    except PapermillExecutionError as exc:
        evalue = str(exc.evalue)[:300]
        say("done", outcome="exception", index=exc.cell_index, ename=str(exc.ename), evalue=evalue)
    except OutputTooLarge as exc:
        say("done", outcome="too much output", index=exc.args[0])
    except DeadKernelError as exc:
        say("done", outcome="crashed", detail=str(exc)[:200])
    except CellTimeoutError as exc:
        say("done", outcome="timeout", detail=str(exc)[:200])
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a report
        detail = f"{type(exc).__name__}: {exc}"[:300]
        outcome = "crashed" if "Kernel died" in detail else "grader error"
        say("done", outcome=outcome, detail=detail)


def main() -> None:
    notebook, cap, start_timeout, import_root = sys.argv[1:5]
    os.environ.update(KERNEL_ENV)
    os.environ["PYTHONPATH"] = import_root
    use_encrypted_kernel()
    run(notebook, int(cap), int(start_timeout))


if __name__ == "__main__":
    main()
