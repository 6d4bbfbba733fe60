"""The FastAPI application: one per worker process, over one laurel.Store.

``create_app(config)`` builds it; ``app_from_env()`` is the factory uvicorn's workers call
(``uvicorn --factory laurel.server.app:app_from_env``), reading the config from ``LAUREL_*``
variables. Each worker opens the store once in its lifespan; LMDB lets every worker process share
the environment, and the only state a worker keeps in memory is its rate-limit buckets.
"""

from __future__ import annotations

import gc
import logging
import os
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, Optional

import anyio
import laurel
from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from .auth import Passwords, document_security
from .config import ServerConfig
from .dispatch import RouteIndex, flat_routes
from .envelope import envelope
from .errors import install_error_handlers
from .idempotency import IdempotencyMiddleware
from .purge import purge_periodically
from .ratelimit import LimitsMiddleware, RateLimiter
from .readonly import ReadOnlyMiddleware
from .routers import (alignments, assertions, backpack, badgeclasses, claims, endorsements,
                      events, evidence, issuers, keys, oauth, ob3_api, ob3_oauth,
                      ob3_public, organizations, public, recipients, tokens, users)
from .views import Urls

__all__ = ["create_app", "app_from_env"]

log = logging.getLogger("laurel.server")

_DESCRIPTION = """\
Laurel's REST service: Badgr's v2 API (paths, fields and the `{status, result, ...}` envelope)
over the Laurel engine, with OAuth2 bearer tokens (`POST /o/token`) and public Open Badges 2.0
documents under `/public/`, and the 1EdTech Open Badges API v3p0 under `/ims/ob/v3p0/`. See
docs/rest.md in the repository.
"""


def create_app(config: Optional[ServerConfig] = None, store: Optional[laurel.Store] = None) -> FastAPI:
    """The application. `store`: an already open store to use (it is then not closed at
    shutdown); by default the app opens ``config.data`` at startup."""
    config = config or ServerConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = laurel.Store(config.data) if own else store
        app.state.urls.store = app.state.store  # views read kept fields and profiles
        if own:
            # Everything alive now (modules, routes, the app) lives as long as the worker: keep it
            # out of the cyclic collector's scans, which otherwise stall requests (the p99).
            gc.collect()
            gc.freeze()
        try:
            async with anyio.create_task_group() as background:
                if config.purge_interval > 0 and not config.read_only:
                    background.start_soon(purge_periodically, app.state.store, config)
                yield
                background.cancel_scope.cancel()
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(title="Laurel", version=laurel.__version__, description=_DESCRIPTION,
                  lifespan=lifespan, docs_url="/docs", redoc_url=None,
                  openapi_url="/openapi.json")
    app.state.config = config
    app.state.urls = Urls(config.base_url)
    app.state.passwords = Passwords(config)
    install_error_handlers(app)

    # Before assertions: its /v2/{scope}/{id}/assertions would take /v2/events/{id}/assertions.
    for module in (oauth, users, tokens, issuers, badgeclasses, claims, evidence, alignments,
                   events, endorsements, organizations, recipients, keys, assertions,
                   backpack, public, ob3_public, ob3_oauth, ob3_api):
        app.include_router(module.router)

    @app.get("/healthz", tags=["service"], summary="Liveness: the store answers")
    async def healthz(request: Request) -> Response:
        request.app.state.store.list_documents("user_email", "\x00")  # a cheap read
        return envelope([{"version": laurel.__version__, "worker": os.getpid()}])

    demo = config.web_demo_dir
    if demo is not None:
        app.mount("/verify", StaticFiles(directory=str(demo), html=True), name="verify")
        log.info("serving the verification widget from %s at /verify", demo)
    else:
        @app.get("/verify", tags=["service"], include_in_schema=False)
        async def verify_missing() -> Response:
            return envelope(status_code=404, description="The web-demo widget is not built",
                            non_field_errors=["build it with `make wasm`; then /verify serves it"])

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse("/docs")

    limiter = RateLimiter(config.rate_limit, config.rate_window) if config.rate_limit > 0 else None
    app.add_middleware(IdempotencyMiddleware, ttl=config.idempotency_ttl)  # inside the limits
    if config.read_only:  # inside the limits too: their body draining answers early refusals
        app.add_middleware(ReadOnlyMiddleware)
    app.add_middleware(LimitsMiddleware, limiter=limiter, max_body_bytes=config.max_body_bytes)
    # Every route is in place: look routes up by path prefix, not by FastAPI's scan of all of them.
    router = app.router
    routes = flat_routes(router.routes)
    router.middleware_stack = RouteIndex(routes, router.middleware_stack, router)
    generate_openapi = app.openapi

    def openapi() -> Dict[str, Any]:
        if app.openapi_schema is None:
            document_security(generate_openapi(), routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """uvicorn's factory in each worker process."""
    return create_app(ServerConfig.from_env())
