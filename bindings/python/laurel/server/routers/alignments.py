"""Alignments (laurel.alignments over REST): an issuer's competency records, referenced by its
badge classes.

``/v2/issuers/{id}/alignments`` lists (staff) and creates (editor); ``/v2/alignments/{id}`` gets
(staff), changes (PUT replaces, PATCH changes the keys given; editor) and deletes (editor);
``/v2/badgeclasses/{id}/alignments`` lists the records a badge class references (staff) and
attaches one (POST ``{"alignment": id}``, editor); ``DELETE
/v2/badgeclasses/{id}/alignments/{alignment id}`` detaches it (editor). Another user's records
are 404.
"""

from __future__ import annotations

import laurel
from fastapi import Request
from starlette.responses import Response

from ... import alignments
from ..access import badgeclass_for
from ..auth import Principal, scoped
from ..body import opt_str, read_object
from ..context import blocking, store_of
from ..envelope import envelope
from ..errors import call, invalid, not_found
from ..records import RecordRoutes, with_issuer_url

routes = RecordRoutes(alignments.ALIGNMENT, view=with_issuer_url,
                      under=("badgeclass", alignments.alignments_of))
router = routes.router


@router.post("/v2/badgeclasses/{entity_id}/alignments", status_code=201,
             summary="Make a badge class reference an alignment of its issuer (editor)")
async def attach_alignment(request: Request, entity_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{"alignment": alignment entityId}``. The badge class's ``alignments`` (and its
    public document) then list it; the core checks the alignment's fields here."""
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    body = await read_object(request)
    alignment_id = opt_str(body, "alignment")
    if not alignment_id:
        raise invalid("alignment", "is required: an alignment entityId")
    try:
        record = alignments.get_alignment(store, alignment_id)
    except laurel.NotFound:
        raise invalid("alignment", "no such alignment") from None
    if record["issuer"] != badgeclass["issuer"]:
        raise invalid("alignment", "no such alignment of this badge class's issuer")
    updated = await blocking(call, alignments.attach, store, badgeclass["entityId"],
                             record["entityId"])
    return envelope([routes.view(request, updated)], status_code=201)


@router.delete("/v2/badgeclasses/{entity_id}/alignments/{alignment_id}", status_code=204,
               summary="The badge class no longer references the alignment (editor)")
async def detach_alignment(request: Request, entity_id: str, alignment_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    try:
        await blocking(call, alignments.detach, store, badgeclass["entityId"], alignment_id)
    except laurel.NotFound:
        raise not_found("Alignment not found") from None
    return envelope(status_code=204)
