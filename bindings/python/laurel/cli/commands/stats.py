"""laurel stats: what the store holds and how its file is used."""

from __future__ import annotations

import argparse

from .._common import Context

ORDER = 80


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "stats", parents=[common], help="counts, table sizes and file use of the store",
        description="Counts per entity, every table's entries and size, the map size and how "
                    "much of the file is in use or free, reader slots, and bytes per assertion.")
    parser.set_defaults(run=run)


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MiB"


def run(context: Context) -> int:
    stats = context.store().stats()
    if context.json:
        context.print_json(stats)
        return 0
    counts = stats["counts"]
    context.print_fields([[name, f"{value:,}"] for name, value in counts.items()], title="Counts")
    context.print_table(
        ["table", "entries", "depth", "pages", "size"],
        [[t["name"], f"{t['entries']:,}", t["depth"],
          f"{t['branchPages'] + t['leafPages'] + t['overflowPages']:,}", _mib(t["bytes"])]
         for t in stats["tables"]],
        title="Tables")
    page = stats["pageSize"]
    context.print_fields([
        ["backend", stats["backend"]],
        ["map size", _mib(stats["mapBytes"])],
        ["file in use", _mib(stats["fileBytes"])],
        ["free pages", f"{stats['freePages']:,} ({_mib(stats['freePages'] * page)})"],
        ["readers", f"{stats['readers']} of {stats['maxReaders']}"],
        ["bytes per assertion", f"{stats['bytesPerAssertion']:,.0f}"
                                f" ({stats['liveBytesPerAssertion']:,.0f} without free pages)"],
    ], title="File")
    return 0
