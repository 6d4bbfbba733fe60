"""The ``laurel`` command line.

Each subcommand is a module in :mod:`laurel.cli.commands` with ``register(subparsers, common)``
(adding its parser and ``run=``) and an optional ``ORDER`` for the help listing; modules there
are found automatically, so a new command (verify, bake, keys, serve, ...) is a new file.

Exit codes: 0 ok, 1 a user error (one line on stderr, no traceback), 2 a usage error, 130
interrupted (Ctrl-C). With --json every error, usage errors included, is one JSON object on
stderr: ``{"error": {"code", "field", "message"}}``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from typing import List, NoReturn, Optional, Sequence

from .. import __version__
from ..errors import Error
from ._common import Context, UserError, add_common_options

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse, whose usage errors are JSON too when --json is on the command line."""

    def error(self, message: str) -> NoReturn:
        if "--json" in sys.argv[1:] or "--json" in _argv_seen:
            error = {"code": "UsageError", "field": None, "message": f"{self.prog}: {message}"}
            sys.stderr.write(json.dumps({"error": error}) + "\n")
            sys.exit(2)
        super().error(message)


_argv_seen: List[str] = []  # main()'s argv, for _Parser.error


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    add_common_options(common, default=argparse.SUPPRESS)
    parser = _Parser(
        prog="laurel",
        description="Laurel: issue, award, revoke and export Open Badges from a local store.",
        epilog="Data lives in --data DIR (default $LAUREL_DATA or ./laurel-data) or in a "
               "PostgreSQL database, --data postgresql://user:password@host/db (run 'laurel "
               "init' on it first; see docs/deploy.md). "
               "Add --json for machine-readable output.")
    add_common_options(parser, default=None)
    parser.add_argument("--version", action="version", version=f"laurel {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    from . import commands

    modules = []
    for info in pkgutil.iter_modules(commands.__path__):
        if not info.name.startswith("_"):
            modules.append(importlib.import_module(f"{commands.__name__}.{info.name}"))
    for module in sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)):
        module.register(subparsers, common)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the CLI with `argv` (default sys.argv[1:]) and returns the exit code."""
    parser = build_parser()
    _argv_seen[:] = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    context = Context(args)
    try:
        return int(args.run(context) or 0)
    except UserError as error:
        context.fail(str(error))
        return 1
    except Error as error:
        # JSON keeps the field apart; people read "field: message" on one line
        context.fail(error.message if context.json else str(error), code=error.code,
                     field=error.field)
        return 1
    except BrokenPipeError:
        # The reader went away (`laurel export | head`): not an error; silence the final flush.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        context.fail(f"{error.strerror or error}"
                     + (f": {error.filename}" if getattr(error, "filename", None) else ""),
                     code="OSError")
        return 1
    except KeyboardInterrupt:
        context.fail("interrupted", code="Interrupted")
        return 130
    finally:
        context.close()

