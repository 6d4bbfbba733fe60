"""A PostgreSQL URL wherever a store directory is taken: laurel.Store, the CLI (--data URL:
init, stats, check, backup, export) and `laurel serve`'s settings; the password in a URL never
shows in output, errors, repr or stats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import laurel
from pg_cluster import PASSPHRASE, with_database
from laurel.server.config import ServerConfig

SECRET = "s3cret-Pass-word"


def _with_password(url: str) -> str:
    """The URL with a password (the tests' server trusts its socket, so any password works)."""
    return url.replace("postgresql://laurel@", f"postgresql://laurel:{SECRET}@", 1)


@pytest.fixture
def url(pg_cluster) -> str:
    return _with_password(pg_cluster.fresh_url("url"))


@pytest.fixture
def pg_cli(url: str, cli, monkeypatch: pytest.MonkeyPatch):
    """The in-process CLI (conftest's Cli) with --data URL."""
    monkeypatch.setenv("LAUREL_PASSPHRASE", PASSPHRASE)
    cli.data = url  # --data takes the URL as it takes a path
    return cli


def test_is_database_url_and_shown_location():
    assert laurel.is_database_url("postgresql://u@h/db")
    assert laurel.is_database_url("postgres://u@h/db")
    assert not laurel.is_database_url("laurel-data")
    assert not laurel.is_database_url("./postgresql:/x")
    shown = laurel.shown_location(f"postgresql://laurel:{SECRET}@db.example/laurel?sslmode=require")
    assert shown == "postgresql://laurel@db.example/laurel?sslmode=require"
    query = laurel.shown_location(f"postgresql:///laurel?host=/tmp&password={SECRET}&port=5")
    assert query == "postgresql:///laurel?host=/tmp&port=5"
    assert laurel.shown_location("some/dir") == "some/dir"


def test_a_store_opens_on_a_url_without_showing_its_password(url: str):
    with laurel.Store(url, passphrase=PASSPHRASE) as store:
        assert laurel.is_database_url(store.path)
        assert SECRET not in store.path and SECRET not in repr(store)
        assert SECRET not in json.dumps(store.stats())
        issuer = store.create_issuer("PG U", "badges@pg.example", "https://pg.example")
        badge = store.create_badgeclass(issuer.entity_id, "PG 101", "Stored in PostgreSQL")
        store.issue(badge.entity_id, "ada@example.org")
    # Nothing made a directory named after the URL.
    assert not Path(url).exists() and not Path("postgresql:").exists()
    with laurel.Store(url, passphrase=PASSPHRASE) as again:  # another connection, same data
        assert [each.name for each in again.list_issuers()] == ["PG U"]


def test_an_unreachable_database_is_a_storage_error_without_the_password(pg_cluster):
    missing = _with_password(with_database(pg_cluster.url, "no_such_database"))
    with pytest.raises(laurel.StorageError) as raised:
        laurel.Store(missing, passphrase=PASSPHRASE)
    assert SECRET not in str(raised.value)


def test_the_cli_runs_on_a_database(pg_cli, url: str, tmp_path: Path):
    init = pg_cli("--json", "init")
    assert init.code == 0, init.err
    assert SECRET not in init.out
    assert pg_cli("init").code == 0  # safe to repeat
    issuer = pg_cli.ok_json("issuer", "create", "--name", "CLI U", "--email", "b@cli.example",
                            "--url", "https://cli.example")
    badge = pg_cli.ok_json("badge", "create", "--issuer", issuer["entityId"], "--name", "CLI",
                           "--description", "Made from the CLI")
    csv_file = tmp_path / "one.csv"
    csv_file.write_text("email\nada@example.org\n")
    awarded = pg_cli.ok_json("award", "--badge", badge["entityId"], "--csv", str(csv_file))
    assert len(awarded["rows"]) == 1
    stats = pg_cli("--json", "stats")
    assert stats.code == 0, stats.err
    assert stats.json()["counts"]["assertions"] == 1 and SECRET not in stats.out
    people = pg_cli("stats")
    assert people.code == 0 and SECRET not in people.out, people.err
    assert "postgresql" in people.out and "connections in use" in people.out
    check = pg_cli.ok_json("check")
    assert check["problemCount"] == 0 and check["assertions"] == 1
    export = pg_cli("export")
    assert export.code == 0, export.err
    assert [json.loads(line)["entityType"] for line in export.out.splitlines()] == [
        "Issuer", "BadgeClass", "Assertion"]
    backup = tmp_path / "copy"
    copied = pg_cli.ok_json("backup", str(backup))
    assert copied["bytes"] > 0
    with laurel.Store(backup) as store:  # the copy is an LMDB store holding the same data
        assert store.stats()["counts"]["assertions"] == 1


def test_cli_errors_on_a_database_never_show_the_password(pg_cluster, cli, monkeypatch):
    monkeypatch.setenv("LAUREL_PASSPHRASE", PASSPHRASE)
    cli.data = _with_password(with_database(pg_cluster.url, "no_such_database"))
    result = cli("stats")
    assert result.code == 1 and result.err.startswith("laurel: error:")
    assert SECRET not in result.err + result.out


def test_serve_on_a_url_needs_smtp_or_an_outbox(url: str):
    with pytest.raises(ValueError, match="--outbox"):
        ServerConfig(data=url).check()
    with pytest.raises(ValueError, match="--outbox"):
        ServerConfig(data=url).outbox_dir
    assert ServerConfig(data=url, outbox="/srv/mail").outbox_dir == Path("/srv/mail")
    ServerConfig(data=url, smtp_url="smtp://relay:25").check()
    assert ServerConfig(data="dir").outbox_dir == Path("dir") / "outbox"
    # The command line says so and exits 1 before serving; the URL's password is not shown.
    done = subprocess.run([sys.executable, "-m", "laurel", "--data", url, "serve"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "--outbox" in done.stderr, done.stderr
    assert SECRET not in done.stderr + done.stdout
