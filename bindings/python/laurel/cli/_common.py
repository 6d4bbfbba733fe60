"""What every subcommand shares: options, the store, output (tables or JSON) and user errors."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable, Iterable, List, Optional, Sequence

from ..store import Store, is_database_url, shown_location

DEFAULT_DATA = "laurel-data"


class UserError(Exception):
    """A problem with the user's input or environment: reported as one line, exit code 1."""


def add_common_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """--data and --json, accepted before or after the subcommand."""
    parser.add_argument("--data", metavar="DIR|URL", default=default,
                        help="the store: a data directory, or a PostgreSQL database URL "
                             "postgresql://user:password@host/db (default: $LAUREL_DATA or "
                             "./laurel-data)")
    parser.add_argument("--json", action="store_true", default=default,
                        help="print JSON for machines instead of tables")


class Context:
    """Parsed arguments plus the resources a command uses; closed by main()."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json: bool = bool(getattr(args, "json", False))
        self.data_dir: str = (getattr(args, "data", None) or os.environ.get("LAUREL_DATA")
                              or DEFAULT_DATA)
        self._store: Optional[Store] = None
        self._console: Any = None

    # --- the store -----------------------------------------------------------------------

    @property
    def data_is_url(self) -> bool:
        return is_database_url(self.data_dir)

    @property
    def shown_data(self) -> str:
        """--data as it may be printed: a URL without its password."""
        return shown_location(self.data_dir)

    def store_exists(self) -> bool:
        """A directory: whether it holds a store. A database URL: True (opening the store says
        when its schema was never made: 'run laurel init')."""
        if self.data_is_url:
            return True
        return os.path.isfile(os.path.join(self.data_dir, "data.mdb"))

    def store(self, create: bool = False) -> Store:
        """The store in --data; a UserError unless it exists (or `create`)."""
        if self._store is None:
            if not create and not self.store_exists():
                raise UserError(f"no Laurel store in {self.data_dir} "
                                "(run 'laurel init' first, or pass --data DIR or URL)")
            self._store = Store(self.data_dir)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- output --------------------------------------------------------------------------

    @property
    def console(self) -> Any:
        if self._console is None:
            from rich.console import Console

            # Off a terminal rich would wrap at 80 columns; ids and emails read better unwrapped.
            self._console = Console(highlight=False,
                                    width=None if sys.stdout.isatty() else 200)
        return self._console

    def print_json(self, value: Any) -> None:
        sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")

    def print_list(self, items: Sequence[Any], next_cursor: Optional[str] = None) -> None:
        """A listing with --json, one shape for every command (docs/cli.md):
        ``{"result": [...], "nextCursor": "..." | null}``; `next_cursor` when there are more."""
        self.print_json({"result": list(items), "nextCursor": next_cursor})

    def print_table(self, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                    title: Optional[str] = None) -> None:
        from rich.table import Table

        table = Table(title=title, show_lines=False, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*["" if cell is None else str(cell) for cell in row])
        self.console.print(table)

    def print_fields(self, pairs: Iterable[Sequence[Any]], title: Optional[str] = None) -> None:
        """A two-column table of (field, value)."""
        self.print_table(["field", "value"], pairs, title=title)

    def say(self, text: str) -> None:
        """A line for people (stdout); suppressed with --json, whose output is data only."""
        if not self.json:
            self.console.print(text, markup=False)

    def note(self, text: str) -> None:
        """A line for people on stderr (never mixed into --json output)."""
        sys.stderr.write(text + "\n")

    def fail(self, message: str, *, code: str = "UserError", field: Optional[str] = None
             ) -> None:
        """Reports an error on stderr: one line for people, or with --json the object
        ``{"error": {"code", "field", "message"}}`` (docs/cli.md)."""
        first_line = " ".join(str(message).split())  # one line, whatever the message held
        if self.json:
            error = {"code": code, "field": field, "message": first_line}
            sys.stderr.write(json.dumps({"error": error}, ensure_ascii=False) + "\n")
        else:
            sys.stderr.write(f"laurel: error: {first_line}\n")


def entity_fields(data: dict, skip: Sequence[str] = ("entityType",)) -> List[List[Any]]:
    """(key, value) rows of an entity's Badgr dict, nested values as compact JSON."""
    rows = []
    for key, value in data.items():
        if key in skip:
            continue
        if isinstance(value, (dict, list)):
            if not value:
                continue
            value = json.dumps(value, ensure_ascii=False)
        rows.append([key, value])
    return rows


def progress_bar(enabled: bool, description: str) -> Any:
    """A context manager yielding a progress(done, total) callback: a rich bar on stderr when
    `enabled`, else a callback that does nothing."""
    import contextlib

    if not enabled:
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def bar() -> Any:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=False) as progress:
            task = progress.add_task(description, total=None)

            def update(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            yield update

    return bar()


def read_text_file(path: str) -> Any:
    """Opens a UTF-8 (optionally BOM-prefixed) text file for the csv module, as a user error
    when it cannot be read."""
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory") from None
    except PermissionError:
        raise UserError(f"{path}: permission denied") from None


Runner = Callable[[Context], int]
