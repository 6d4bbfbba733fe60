"""laurel recipient create|list|show|update|delete|assertions: an issuer's recipients
(laurel.recipients). Registration links are the REST service's (they need mail)."""

from __future__ import annotations

import argparse

from ... import recipients
from ..records import register_kind

ORDER = 42


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    register_kind(subparsers, common, recipients.RECIPIENT,
                  "Recipients: the people an issuer awards to.")
