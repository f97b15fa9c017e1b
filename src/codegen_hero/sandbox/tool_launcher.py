"""Runs first inside the tool sandbox: bridges, a look at the network, then the tool itself.

    python tool_launcher.py REPORT PORT=SOCKET ... -- COMMAND ...

For each PORT=SOCKET it starts socat listening on 127.0.0.1:PORT inside the sandbox's own
network namespace and forwarding to the Unix socket SOCKET (which the host bridges to the
model server), waits until the port answers, writes the interfaces and routes it sees to
REPORT (JSON), and then becomes COMMAND. Standard library only: it runs in the sandbox.
"""

import json
import os
import socket
import subprocess
import sys
import time

BRIDGE_WAIT_S = 5.0


def read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""


def interfaces():
    lines = read("/proc/net/dev").splitlines()[2:]
    return sorted(line.split(":", 1)[0].strip() for line in lines if ":" in line)


def routes():
    lines = read("/proc/net/route").splitlines()[1:]
    return [line.split()[0] for line in lines if line.strip()]


def wait_for(port):
    deadline = time.monotonic() + BRIDGE_WAIT_S
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def main(argv):
    split = argv.index("--")
    report, bridges, command = argv[0], argv[1:split], argv[split + 1 :]
    ready = {}
    for bridge in bridges:
        port, sock = bridge.split("=", 1)
        listen = f"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr"
        subprocess.Popen(["socat", listen, f"UNIX-CONNECT:{sock}"], stdin=subprocess.DEVNULL)
        ready[port] = wait_for(int(port))
    seen = {"interfaces": interfaces(), "routes": routes(), "bridges": ready}
    with open(report, "w", encoding="utf-8") as handle:
        json.dump(seen, handle)
    sys.stdout.flush()
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
