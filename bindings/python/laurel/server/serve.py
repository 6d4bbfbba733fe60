"""Running the service under uvicorn."""

from __future__ import annotations

import os
from typing import Optional

from .config import ServerConfig

__all__ = ["serve"]

_STARTUP_FAILURE = 3  # uvicorn's exit code for a worker that failed before serving


def serve(config: ServerConfig, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          log_level: str = "info", access_log: bool = False) -> None:
    """Serves until interrupted. With ``workers > 1`` uvicorn starts that many processes, each
    building the app from the ``LAUREL_*`` environment (written here from `config`) and opening
    the same store (directory or database). Blocks; returns after a clean shutdown. Raises SystemExit(3) when
    the service did not start: with one worker, as uvicorn does; with several, when a worker
    failed to start (uvicorn's supervisor then stops the rest, but would return as if all was
    well)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config.check()
    if not config.data_is_url:
        os.makedirs(config.data, exist_ok=True)
    os.environ.update(config.to_env())
    options = dict(host=host, port=port, log_level=log_level, access_log=access_log,
                   proxy_headers=False, server_header=False, timeout_graceful_shutdown=10)
    if workers <= 1:
        uvicorn.run("laurel.server.app:app_from_env", factory=True, **options)  # exits 3 itself
        return
    settings = uvicorn.Config("laurel.server.app:app_from_env", factory=True, workers=workers,
                              **options)
    supervisor = Multiprocess(settings, sockets=[settings.bind_socket()])
    try:
        supervisor.run()
    except KeyboardInterrupt:
        pass
    if any(process.exitcode == _STARTUP_FAILURE for process in supervisor.processes):
        raise SystemExit(_STARTUP_FAILURE)


def default_public_url(host: str, port: int, public_url: Optional[str]) -> str:
    if public_url:
        return public_url.rstrip("/")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
