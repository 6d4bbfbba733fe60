"""The ``laurel`` command line.

Each subcommand is a module in :mod:`laurel.cli.commands` with ``register(subparsers, common)``
(adding its parser and ``run=``) and an optional ``ORDER`` for the help listing; modules there
are found automatically, so a new command (verify, bake, keys, serve, ...) is a new file.

Exit codes: 0 ok, 1 a user error (one line on stderr, no traceback), 2 a usage error, 130
interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from typing import Optional, Sequence

from .. import __version__
from ..errors import Error
from ._common import Context, UserError, add_common_options

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    add_common_options(common, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="laurel",
        description="Laurel: issue, award, revoke and export Open Badges from a local store.",
        epilog="Data lives in --data DIR (default $LAUREL_DATA or ./laurel-data). "
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
    args = parser.parse_args(argv)
    context = Context(args)
    try:
        return int(args.run(context) or 0)
    except UserError as error:
        context.fail(str(error))
        return 1
    except Error as error:
        context.fail(str(error))
        return 1
    except BrokenPipeError:
        # The reader went away (`laurel export | head`): not an error; silence the final flush.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        context.fail(f"{error.strerror or error}"
                     + (f": {error.filename}" if getattr(error, "filename", None) else ""))
        return 1
    except KeyboardInterrupt:
        context.fail("interrupted")
        return 130
    finally:
        context.close()

