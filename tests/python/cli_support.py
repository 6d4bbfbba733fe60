"""Helpers for the CLI tests (imported by name: conftest modules are not importable once a
sub-directory has its own conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def laurel_script() -> str:
    """The installed console script beside this interpreter."""
    script = Path(sys.executable).with_name("laurel")
    assert script.exists(), f"console script missing: {script}"
    return str(script)


def run_script(*args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("LAUREL_DATA", None)
    return subprocess.run([laurel_script(), *args], capture_output=True, text=True, env=env,
                          timeout=300, **kwargs)


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
