#!/usr/bin/env python3
"""The headless Chromium the bench and the browser tests drive: where it is, and its flags.

Standard library only. ``python3 scripts/chromium.py`` prints the executable's path.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Without the background-networking flags Chromium tries to reach Google's hosts at start. The
#: resolver rule keeps every other host unreachable, so a page that asks for one fails (and the
#: tests see the request) instead of reaching the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def executable() -> str:
    """A Chromium executable, from scripts/ensure-chromium (which honours $CHROMIUM).

    Raises:
        RuntimeError: none was found or could be installed; the message says how to get one.
    """
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure-chromium")], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr.strip() or "scripts/ensure-chromium failed")
    return proc.stdout.strip()


if __name__ == "__main__":
    try:
        print(executable())
    except RuntimeError as error:
        sys.exit(str(error))
