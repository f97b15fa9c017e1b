"""Jupyter kernels that the course's tools start talk over encrypted TCP (CurveZMQ).

ipykernel warns "Kernel is running over TCP without encryption" once per kernel it starts:
once per notebook in nbval, papermill, the book build and `hero workshop` grading, which
buries the warnings that matter. The fix is at the source: the kernel manager's own
`transport_encryption` setting, turned on by a kernel provisioner that every jupyter_client
picks up from JUPYTER_DEFAULT_PROVISIONER_NAME. The kernelspec must declare CurveZMQ support
(ipykernel's does); where it does not, or pyzmq lacks CurveZMQ, kernels start as before.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

PROVISIONER = "hero-encrypted"
GROUP = "jupyter_client.kernel_provisioners"
ENV = "JUPYTER_DEFAULT_PROVISIONER_NAME"


class EncryptedLocalProvisioner(LocalProvisioner):  # type: ignore[misc]
    """A local kernel, as jupyter_client starts it, with transport encryption on ("auto")."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        import zmq

        if zmq.has("curve"):
            kwargs.setdefault("transport_encryption", "auto")
        return await super().pre_launch(**kwargs)


def provisioner_installed() -> bool:
    """Is the provisioner registered (the package's entry point), so a name lookup finds it?"""
    return bool(entry_points(group=GROUP, name=PROVISIONER))


def encrypted_kernel_env() -> dict[str, str]:
    """The environment that makes jupyter_client start kernels through the provisioner."""
    return {ENV: PROVISIONER} if provisioner_installed() else {}


def use_encrypted_kernels() -> None:
    """Kernels this process (and its children) start from now on talk over encrypted TCP;
    a provisioner the user chose is left alone."""
    for name, value in encrypted_kernel_env().items():
        os.environ.setdefault(name, value)


def pytest_configure(config: Any) -> None:
    """As a pytest plugin (`-p codegen_hero.kernels`): nbval's and papermill's kernels too."""
    use_encrypted_kernels()
