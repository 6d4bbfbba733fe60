"""Laurel's REST service (``laurel serve``): Badgr's v2 API over :class:`laurel.Store`.

Needs the ``server`` extra (``pip install 'laurel-badges[server]'``: FastAPI, uvicorn, argon2-cffi,
python-multipart, httpx). :func:`create_app` builds the FastAPI application; :func:`serve` runs
it under uvicorn with N worker processes sharing one store. See docs/rest.md.
"""

from __future__ import annotations

from .app import app_from_env, create_app
from .config import ServerConfig
from .serve import serve

__all__ = ["ServerConfig", "create_app", "app_from_env", "serve"]
