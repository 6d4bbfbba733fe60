"""Route look-up by the first two path segments, in front of FastAPI's own router.

FastAPI finds a request's route by trying every route in order. With the service's ~110 routes in
16 included routers that scan was the largest single cost of a request (a profile of
``GET /v2/assertions/{id}`` put 57% of its time in route matching; docs/rest.md, "Speed"). Here the
routes are grouped once, at start-up, by their first two path segments; a request tries only the
routes of its group, in the original order, so the first full match is the one the full scan would
have found. Anything not fully matched in its group (404, 405, a trailing-slash redirect, a
``root_path`` deployment) goes to FastAPI's router unchanged, so behaviour is identical; so does
every request while ``app.dependency_overrides`` is set (tests' overrides reach the routes only
through FastAPI's own matching, which gives each route the app as its override provider).

A route's segment is a wildcard once a path parameter has appeared (``/v2/{scope}/...`` is tried
for every ``/v2/...`` request; a ``{ref:path}`` parameter may span segments). Mounts are prefixes.
Within a group, a route whose methods or number of segments cannot fit the request is skipped
without running its regular expression. A matched route that lean.py can call directly is called
there, without FastAPI's per-request dependency solving; any other goes to ``route.handle``.
"""

from __future__ import annotations

from typing import (Any, Awaitable, Callable, Dict, FrozenSet, Iterable, List, Optional,
                    Tuple)

from starlette.routing import BaseRoute, Match, Mount

from .lean import lean_handler

__all__ = ["RouteIndex", "flat_routes"]

Scope = Dict[str, Any]
App = Callable[[Scope, Any, Any], Awaitable[None]]
Key = Tuple[Optional[str], Optional[str]]  # None: any segment
# A candidate: the route, its methods (None: any), its number of "/" (None: any), its path when
# it has no parameters (only that path can match it; else None) and the ASGI callable answering
# a request it matched.
Candidate = Tuple[BaseRoute, Optional[FrozenSet[str]], Optional[int], Optional[str], App]


def flat_routes(routes: Iterable[Any]) -> List[BaseRoute]:
    """`routes` in matching order with included routers expanded (FastAPI >= 0.16x keeps an
    included router as one lazy entry with ``original_router``; older versions copy its routes).
    The service includes its routers without prefix or dependencies, so expanding is exact."""
    flat: List[BaseRoute] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            flat.extend(flat_routes(included.routes))
        else:
            flat.append(route)
    return flat


def _key_of(route: BaseRoute) -> Key:
    path = getattr(route, "path", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return (None, None)
    parts = path.split("/")
    first = parts[1]
    if "{" in first:
        return (None, None)
    if isinstance(route, Mount):
        return (first, None)  # a mount answers every path below it
    second = parts[2] if len(parts) > 2 else ""
    return (first, None if "{" in second else second)


def _candidate(route: BaseRoute) -> Candidate:
    methods = getattr(route, "methods", None)
    path = getattr(route, "path", None)
    fixed = isinstance(path, str) and ":path}" not in path and not isinstance(route, Mount)
    exact = path if fixed and "{" not in path else None
    return (route, frozenset(methods) if methods else None, path.count("/") if fixed else None,
            exact, lean_handler(route) or route.handle)


class RouteIndex:
    """The router's entry point: tries the request's group of routes, else the full router."""

    def __init__(self, routes: Iterable[BaseRoute], fallback: App, router: Any) -> None:
        self.fallback = fallback
        self.router = router
        keyed = [(_candidate(route), _key_of(route)) for route in routes]

        def group(first: Optional[str], second: Optional[str]) -> List[Candidate]:
            return [candidate for candidate, (a, b) in keyed
                    if (a is None or a == first) and (b is None or b == second)]

        self._by_both: Dict[Tuple[str, str], List[Candidate]] = {}
        self._by_first: Dict[str, List[Candidate]] = {}
        for _, (first, second) in keyed:
            if first is None:
                continue
            self._by_first.setdefault(first, group(first, None))
            if second is not None:
                self._by_both.setdefault((first, second), group(first, second))
        self._anywhere = group(None, None)

    def candidates(self, path: str) -> List[Candidate]:
        parts = path.split("/", 3)
        first = parts[1] if len(parts) > 1 else ""
        second = parts[2] if len(parts) > 2 else ""
        found = self._by_both.get((first, second))
        if found is None:
            found = self._by_first.get(first, self._anywhere)
        return found

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if (scope["type"] == "http" and not scope.get("root_path")
                and not getattr(scope.get("app"), "dependency_overrides", None)):
            path = scope["path"]
            method = scope["method"]
            slashes = path.count("/")
            for route, methods, count, exact, handle in self.candidates(path):
                if (methods is not None and method not in methods) or (
                        count is not None and count != slashes) or (
                        exact is not None and exact != path):
                    continue
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self.router)  # as Router.app sets it (url_for)
                    scope.update(child_scope)
                    await handle(scope, receive, send)
                    return
        await self.fallback(scope, receive, send)
