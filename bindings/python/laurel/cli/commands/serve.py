"""laurel serve: the REST service (Badgr v2 API, OAuth2 tokens, public badge documents).

Needs the ``server`` extra: ``pip install 'laurel-badges[server]'``.
"""

from __future__ import annotations

import argparse

from .._common import Context, UserError

ORDER = 90


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "serve", parents=[common], help="run the REST service (Badgr v2 API)",
        description="Serve the store in --data over HTTP: Badgr's v2 API with OAuth2 bearer "
                    "tokens (POST /o/token), public Open Badges documents under /public/, the "
                    "verification widget at /verify and the API reference at /docs. Several "
                    "workers share the store safely; over a PostgreSQL URL any number of nodes "
                    "on any hosts serve as one service (docs/deploy.md).")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on "
                        "(default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--public-url", metavar="URL",
                        help="base of every public document id, as clients reach this server "
                             "(default http://HOST:PORT)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (default 1)")
    parser.add_argument("--rate-limit", type=int, metavar="N",
                        help="requests per minute per token or client address, per worker "
                             "process of each node (default 6000; 0 turns it off)")
    parser.add_argument("--smtp", metavar="URL",
                        help="smtp://host:port to send mail (default: write it to --outbox)")
    parser.add_argument("--outbox", metavar="DIR",
                        help="folder for mail when there is no --smtp (default DATA/outbox for a "
                             "data directory; a database URL needs --smtp or --outbox)")
    parser.add_argument("--read-only", action="store_true", default=None,
                        help="serve reads only and refuse writes with 503 (a node over a "
                             "database hot standby)")
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"])
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    args = context.args
    try:
        from ...server import ServerConfig, serve
        from ...server.serve import default_public_url
    except ImportError as error:
        raise UserError("the REST service needs the server extra: "
                        f"pip install 'laurel-badges[server]' ({error})") from None
    if not 0 < args.port < 65536:
        raise UserError("--port must be between 1 and 65535")
    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    fields = {"data": context.data_dir,
              "public_url": default_public_url(args.host, args.port, args.public_url)}
    if args.rate_limit is not None:
        fields["rate_limit"] = args.rate_limit
    if args.smtp:
        fields["smtp_url"] = args.smtp
    if args.outbox:
        fields["outbox"] = args.outbox
    if args.read_only:
        fields["read_only"] = True
    base = ServerConfig.from_env()  # LAUREL_* variables still set the rest
    config = ServerConfig(**{**base.__dict__, **fields})
    try:
        config.check()
    except ValueError as error:
        raise UserError(str(error)) from None
    mode = ", read-only" if config.read_only else ""
    context.say(f"Laurel serving {context.shown_data} on http://{args.host}:{args.port} "
                f"({args.workers} worker(s){mode}); public URL {config.public_url}; "
                "docs at /docs")
    serve(config, host=args.host, port=args.port, workers=args.workers,
          log_level=args.log_level)
    return 0
