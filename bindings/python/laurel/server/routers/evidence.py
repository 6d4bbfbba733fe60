"""Evidence items of an assertion (laurel.evidence over REST; laurel.server.records.ItemRoutes).

``/v2/assertions/{id}/evidence`` lists (staff) and adds (editor) items;
``/v2/assertions/{id}/evidence/{index}`` gets (staff), replaces (PUT, editor), changes some keys
(PATCH, editor) or deletes (editor) one. Items are named by their 0-based position, returned as
``index`` (a key the server adds and ignores in bodies). Every change goes through the core's
assertion update, which validates it; a revoked assertion cannot change (409).
"""

from __future__ import annotations

from ... import evidence
from ..records import ItemRoutes

router = ItemRoutes(evidence.EVIDENCE).router
