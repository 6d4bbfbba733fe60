"""What every handler reaches through the request: the process's Store, the config, the URL
builder and the password hasher (all set once per worker by the app's lifespan)."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from .auth import Passwords
from .config import ServerConfig
from .views import Urls

__all__ = ["store_of", "config_of", "urls_of", "passwords_of", "blocking"]

T = TypeVar("T")


def store_of(request: Request) -> Any:
    return request.app.state.store


def config_of(request: Request) -> ServerConfig:
    return request.app.state.config


def urls_of(request: Request) -> Urls:
    return request.app.state.urls


def passwords_of(request: Request) -> Passwords:
    return request.app.state.passwords


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Runs a write (an fsync'd LMDB transaction), a password hash or a fetch on the thread pool,
    so the event loop keeps serving reads meanwhile. Reads from LMDB take microseconds and run
    inline."""
    return await run_in_threadpool(function, *args, **kwargs)
