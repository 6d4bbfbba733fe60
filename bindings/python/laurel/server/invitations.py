"""Registration links of record kinds whose records are people (recipients, endorsers): a
one-time token mailed to the record's email when it is created, and again on
``POST /v2/<plural>/{id}/invite`` while it is unregistered (laurel.server.records). The kind's
own register route consumes the token (accounts.consume_one_time with the same purpose).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, Tuple

from fastapi import Request

from . import accounts
from .auth import Principal
from .context import config_of, store_of
from .mail import send_mail

__all__ = ["Invitation"]

log = logging.getLogger("laurel.server")

Doc = Dict[str, Any]


@dataclass(frozen=True)
class Invitation:
    """purpose: the one-time token's; subject and text(record, token, base_url): the mail's;
    carries: the record's fields the token carries besides its entityId (under the kind's
    noun)."""
    noun: str
    purpose: str
    subject: str
    text: Callable[[Doc, str, str], str]
    carries: Tuple[str, ...] = ()

    def send(self, request: Request, principal: Principal, record: Doc) -> None:
        """Mails a new token (blocking: call it off the event loop). A mail outage is logged,
        never lost as an error: the record stays and a new link can be sent."""
        config = config_of(request)
        token = accounts.create_one_time(
            store_of(request), self.purpose, principal.user_id, config.recovery_token_ttl,
            **{self.noun: record["entityId"], **{key: record[key] for key in self.carries}})
        try:
            send_mail(config, record["email"], self.subject,
                      self.text(record, token, config.base_url))
        except Exception:  # noqa: BLE001 - a mail outage must not lose the record
            log.exception("could not send the %s registration mail to %s", self.noun,
                          record["email"])
