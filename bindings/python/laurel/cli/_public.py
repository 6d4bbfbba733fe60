"""The public base URL the CLI writes document ids under (bake, export --ob2)."""

from __future__ import annotations

import argparse
import os

DEFAULT_PUBLIC_URL = "http://localhost:8000"


def add_base_url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", metavar="URL",
                        help="public base URL of the documents' ids, where `laurel serve "
                             "--public-url` publishes them (default: $LAUREL_PUBLIC_URL or "
                             f"{DEFAULT_PUBLIC_URL})")


def base_url(args: argparse.Namespace) -> str:
    url = getattr(args, "base_url", None) or os.environ.get("LAUREL_PUBLIC_URL") \
        or DEFAULT_PUBLIC_URL
    return url.rstrip("/")
