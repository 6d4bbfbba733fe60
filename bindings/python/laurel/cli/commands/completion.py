"""laurel completion: a shell completion script for bash or zsh, generated from the parser by
shtab, so it always knows every subcommand and option of this version."""

from __future__ import annotations

import argparse
import sys

from .._common import Context

ORDER = 95


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "completion", help="print a shell completion script (bash or zsh)",
        description="Print the completion script for your shell. bash: add "
                    "'eval \"$(laurel completion bash)\"' to ~/.bashrc. zsh: "
                    "'laurel completion zsh > ~/.zfunc/_laurel' with ~/.zfunc in $fpath "
                    "before compinit (docs/cli.md).")
    parser.add_argument("shell", choices=("bash", "zsh"), help="the shell")
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    import shtab

    from .. import build_parser

    sys.stdout.write(shtab.complete(build_parser(), shell=context.args.shell))
    return 0
