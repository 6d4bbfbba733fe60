"""Running the service under uvicorn."""

from __future__ import annotations

import os
from typing import Optional

from .config import ServerConfig

__all__ = ["serve"]


def serve(config: ServerConfig, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          log_level: str = "info", access_log: bool = False) -> None:
    """Serves until interrupted. With ``workers > 1`` uvicorn starts that many processes, each
    building the app from the ``LAUREL_*`` environment (written here from `config`) and opening
    the same store directory. Blocks; returns after a clean shutdown."""
    import uvicorn

    os.makedirs(config.data, exist_ok=True)
    os.environ.update(config.to_env())
    uvicorn.run("laurel.server.app:app_from_env", factory=True, host=host, port=port,
                workers=max(1, workers), log_level=log_level, access_log=access_log,
                proxy_headers=False, server_header=False, timeout_graceful_shutdown=10)


def default_public_url(host: str, port: int, public_url: Optional[str]) -> str:
    if public_url:
        return public_url.rstrip("/")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
