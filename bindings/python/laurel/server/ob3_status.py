"""Errors and bearer-token checks of the OB 3.0 service API (/ims/ob/v3p0/...).

Its errors are 1EdTech ``Imsx_StatusInfo`` objects (OB 3.0 §B.3), not Badgr envelopes:

======  ==========================  ==================  =========================================
status  imsx_codeMinorFieldValue    codeMajor/severity  when
======  ==========================  ==================  =========================================
400     invalid_query_parameter     failure/error       a bad limit, offset or since
400     invalid_data                failure/error       a body that is not acceptable
401     unauthorizedrequest         failure/error       no, unknown, expired or revoked token
403     forbidden                   failure/error       the token lacks the operation's scope
404     not_found                   failure/status      nothing there (or not yours)
304     not_modified                success/status      a conditional upsert of what is stored
======  ==========================  ==================  =========================================

:class:`Ob3Error` is an :class:`~laurel.server.errors.ApiError` whose ``response()`` draws this
shape, so the service's one error handler answers it unchanged.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from fastapi import Depends, Request
from fastapi.security import OAuth2AuthorizationCodeBearer
from starlette.responses import Response

from .auth import Principal, authenticate
from .envelope import json_response
from .errors import ApiError
from .ob3_grants import OB3_SCOPES

__all__ = ["API_PREFIX", "Ob3Error", "status_info", "ob3_scoped"]

API_PREFIX = "/ims/ob/v3p0"

_MINOR = {400: "invalid_data", 401: "unauthorizedrequest", 403: "forbidden", 404: "not_found",
          405: "not_allowed", 406: "not_acceptable", 413: "invalid_data", 429: "server_busy",
          304: "not_modified", 500: "internal_server_error"}

# Documents the scheme in /docs; the bearer token itself is checked by auth.authenticate.
_scheme = OAuth2AuthorizationCodeBearer(
    authorizationUrl=f"{API_PREFIX}/oauth/authorize", tokenUrl=f"{API_PREFIX}/oauth/token",
    refreshUrl=f"{API_PREFIX}/oauth/token", scopes=OB3_SCOPES, scheme_name="OAuth2ACG",
    auto_error=False)


def status_info(status: int, description: str, minor: Optional[str] = None) -> dict:
    major, severity = "failure", "error"
    if status == 404:
        severity = "status"
    elif status < 400:
        major, severity = "success", "status"
    return {"imsx_codeMajor": major, "imsx_severity": severity,
            "imsx_description": description,
            "imsx_codeMinor": {"imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem",
                 "imsx_codeMinorFieldValue": minor or _MINOR.get(status, "unknown")}]}}


class Ob3Error(ApiError):
    """An OB 3.0 API failure, answered as Imsx_StatusInfo."""

    def __init__(self, status: int, description: str, *, minor: Optional[str] = None,
                 headers: Optional[Mapping[str, str]] = None) -> None:
        super().__init__(status, description, headers=headers)
        self.minor = minor

    def response(self) -> Response:
        if self.status == 304:  # no body, as RFC 9110 §15.4.5 says
            return Response(status_code=304, headers=self.headers)
        return json_response(status_info(self.status, self.description, self.minor),
                             status_code=self.status, headers=self.headers)


def ob3_scoped(scope: str) -> Any:
    """A FastAPI dependency: the Principal of a bearer token holding the OB 3.0 `scope` (a full
    scope URI). 401 with ``WWW-Authenticate`` without a valid token, 403 without the scope."""

    async def dependency(request: Request, token: Optional[str] = Depends(_scheme)) -> Principal:
        try:
            return authenticate(request, token, scope)
        except ApiError as error:
            raise Ob3Error(error.status, error.description, headers=error.headers) from None

    dependency.__name__ = "ob3_" + scope.rsplit("/", 1)[-1].replace(".", "_")
    return Depends(dependency)
