"""How the explorer's tests and benchmark start a browser: Debian's chromium, headless,
offline (no background connections, no first-run work), without downloading a browser
of its own. Plain data: optviz itself never starts a browser."""

from __future__ import annotations

import os
import shutil

__all__ = ["CHROMIUM", "ARGS"]

#: The system browser: ``$OPTVIZ_CHROMIUM``, else ``chromium`` on PATH.
CHROMIUM = (
    os.environ.get("OPTVIZ_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)

#: Flags for a closed network, as root, without a GPU.
ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
