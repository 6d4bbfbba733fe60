"""laurel evidence list|add|update|delete: evidence items of an assertion (laurel.evidence)."""

from __future__ import annotations

import argparse

from ... import evidence
from ..records import register_kind

ORDER = 55


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    register_kind(subparsers, common, evidence.EVIDENCE,
                  "Evidence items of an assertion, named by position (0 is the first). Each "
                  "change is validated by the engine as an assertion update.")
