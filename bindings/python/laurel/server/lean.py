"""Direct calls of simple endpoints, without FastAPI's per-request dependency solving.

For the service's hottest reads (``GET /v2/assertions/{id}``, ``GET /public/assertions/{id}``)
FastAPI's request handler cost more CPU than the handler itself: ``solve_dependencies`` walks
the endpoint's and each dependency's parameter lists, validates every path parameter through
pydantic and keeps a dependency cache, and two AsyncExitStacks are entered per request for
dependencies with ``yield`` (docs/rest.md, "Speed").

A route is *lean* when all of that is the identity: an ``async def`` endpoint declared to return
a starlette Response, whose parameters are the Request, plain ``str`` path parameters (the
router's ``str`` convertor already gives them, so pydantic's validation cannot fail or change
them) and ``scoped`` dependencies (auth.py: ``async def (request)``, nothing else). Such a
route is called here as FastAPI would call it: the dependencies in order, then the endpoint with
the same keyword arguments, then the Response it returns. An exception takes the path FastAPI's
would, to the app's exception handlers (the ExceptionMiddleware around the router). Every other
route goes through FastAPI (and every request while ``app.dependency_overrides`` is in use:
dispatch.py hands those to FastAPI's own router). One thing FastAPI does that is not done here:
its telemetry's spans around dependency solving and the endpoint (the app-level telemetry
middleware still sees every request).
"""

from __future__ import annotations

import inspect
import typing
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from starlette.requests import Request
from starlette.responses import Response

from .auth import SCOPE_ATTRIBUTE

__all__ = ["lean_handler"]

Scope = Dict[str, Any]
App = Callable[[Scope, Any, Any], Awaitable[None]]
# What a dependency or endpoint receives besides the path parameters: (name, dependency or None
# for the Request itself).
Argument = Tuple[str, Optional[Callable[[Request], Awaitable[Any]]]]

_SPECIAL_PARAMETERS = ("websocket_param_name", "http_connection_param_name",
                       "response_param_name", "background_tasks_param_name",
                       "security_scopes_param_name")


def _plain(dependant: Any) -> bool:
    """No query, header, cookie or body parameters and none of FastAPI's special ones."""
    return not (dependant.query_params or dependant.header_params or dependant.cookie_params
                or dependant.body_params
                or any(getattr(dependant, name, None) for name in _SPECIAL_PARAMETERS))


def _plain_str(field: Any) -> bool:
    """A path parameter FastAPI would pass through unchanged: ``str``, no constraints, no alias."""
    info = getattr(field, "field_info", None)
    return (info is not None and getattr(info, "annotation", None) is str
            and not getattr(info, "metadata", None) and field.alias == field.name)


def _returns_response(endpoint: Callable[..., Any]) -> bool:
    try:
        hint = typing.get_type_hints(endpoint).get("return")
    except Exception:  # an annotation that does not resolve: leave the route to FastAPI
        return False
    return isinstance(hint, type) and issubclass(hint, Response)


def _scoped_dependency(sub: Any) -> Optional[Callable[[Request], Awaitable[Any]]]:
    """The callable of a ``scoped`` dependency taking only the Request, else None."""
    call = sub.call
    if (not hasattr(call, SCOPE_ATTRIBUTE) or not inspect.iscoroutinefunction(call)
            or sub.dependencies or sub.path_params or not _plain(sub)
            or sub.request_param_name is None or sub.name is None):
        return None
    return call


def _arguments(route: Any) -> Optional[List[Argument]]:
    """The endpoint's non-path arguments in the order FastAPI solves them, or None when the
    route is not lean."""
    dependant = getattr(route, "dependant", None)
    endpoint = getattr(route, "endpoint", None)
    if (dependant is None or endpoint is None or not inspect.iscoroutinefunction(endpoint)
            or dependant.call is not endpoint or not _plain(dependant)
            or getattr(route, "dependencies", None)
            or not all(_plain_str(field) for field in dependant.path_params)
            or not _returns_response(endpoint)):
        return None
    arguments: List[Argument] = []
    for sub in dependant.dependencies:
        call = _scoped_dependency(sub)
        if call is None:
            return None
        arguments.append((sub.name, call))
    if dependant.request_param_name is not None:
        arguments.append((dependant.request_param_name, None))
    return arguments


def lean_handler(route: Any) -> Optional[App]:
    """An ASGI callable doing what ``route.handle`` does for a matched request, or None when the
    route is not lean."""
    arguments = _arguments(route)
    if arguments is None:
        return None
    endpoint = route.endpoint
    # Only the declared ones: an endpoint may read others from request.path_params itself.
    path_names = tuple(field.name for field in route.dependant.path_params)

    async def lean(scope: Scope, receive: Any, send: Any) -> None:
        request = Request(scope, receive, send)
        path_params = scope["path_params"]
        values = {name: path_params[name] for name in path_names}
        for name, dependency in arguments:
            values[name] = request if dependency is None else await dependency(request)
        response = await endpoint(**values)
        await response(scope, receive, send)

    return lean
