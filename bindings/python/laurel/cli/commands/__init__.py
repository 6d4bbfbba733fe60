"""Subcommands of ``laurel``: one module each, found automatically (see laurel.cli)."""
