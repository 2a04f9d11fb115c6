"""How Kaoping runs under gunicorn (`kaoping serve`, `kaoping bench web`); no Django imports."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_workers() -> int:
    """gunicorn's advice for synchronous workers: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_command(bind: str, workers: int, *extra: str) -> list[str]:
    """The gunicorn command line serving Kaoping's WSGI application."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "kaoping.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        *extra,
    ]
