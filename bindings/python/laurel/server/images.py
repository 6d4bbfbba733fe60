"""Serving user-supplied images safely (issuer and badge images, baked badges).

Every image response goes through :func:`image_response`: SVG is sanitized with py-svg-hush (the
Python binding of Cloudflare's maintained svg-hush: it keeps only passive SVG, dropping scripts,
event handlers, ``javascript:`` links, foreign objects and external references), media types
other than the usual raster formats and SVG are served as ``application/octet-stream``, and the
response forbids the browser everything an image does not need: ``Content-Security-Policy:
default-src 'none'; style-src 'unsafe-inline'`` (inline styles only, which SVG uses for its
presentation) and ``X-Content-Type-Options: nosniff``. So an uploaded ``<script>`` can neither
survive nor run on this origin, which also serves /docs and /verify.
"""

from __future__ import annotations

from typing import Dict, Mapping, Optional

from starlette.responses import Response

__all__ = ["IMAGE_HEADERS", "SVG", "clean_image", "image_response"]

IMAGE_HEADERS: Dict[str, str] = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}
SVG = "image/svg+xml"
_RASTER = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"}


def clean_image(media_type: str, data: bytes) -> Optional[bytes]:
    """The image as it may be served: SVG sanitized, others unchanged; None for an SVG that does
    not parse or cannot be sanitized here (it is not served at all)."""
    if media_type.strip().lower() != SVG:
        return data
    try:
        from py_svg_hush import filter_svg  # only needed when an SVG is served
    except ImportError:  # Python 3.9 has no wheel: SVG is then never served
        return None
    try:
        return filter_svg(data)
    except Exception:  # noqa: BLE001 - the binding raises its own errors for malformed SVG
        return None


def image_response(data: bytes, media_type: str, *, clean: bool = True,
                   headers: Optional[Mapping[str, str]] = None) -> Response:
    """A user-supplied image, safe to serve on this origin. `clean=False` for bytes made from an
    image cleaned already (a baked badge). An SVG that cannot be sanitized is a 404."""
    kind = media_type.strip().lower()
    if kind != SVG and kind not in _RASTER:
        kind = "application/octet-stream"
    if clean:
        cleaned = clean_image(kind, data)
        if cleaned is None:
            from .errors import not_found

            raise not_found("The image is not valid SVG")
        data = cleaned
    return Response(data, media_type=kind, headers={**(headers or {}), **IMAGE_HEADERS})
