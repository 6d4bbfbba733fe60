"""The installed `laurel` console script as a separate process: exit codes, the progress bar on
a terminal, and Ctrl-C during an award."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import time

import pytest

import laurel
from cli_support import laurel_script, run_script


def make_store(data_dir):
    with laurel.Store(data_dir) as store:
        issuer = store.create_issuer("Demo U", "b@demo.edu", "https://demo.edu")
        return store.create_badgeclass(issuer.entity_id, "Demo", "A demo badge").entity_id


def count_assertions(data_dir, badge_id):
    with laurel.Store(data_dir) as store:
        return len(list(store.iter_assertions(badgeclass=badge_id, include_revoked=True)))


def write_recipients(path, count):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("email,narrative\n")
        for n in range(count):
            handle.write(f"learner{n}@example.com,Row {n}\n")


def test_console_script_runs_and_exit_codes(data_dir):
    result = run_script("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"laurel {laurel.__version__}"
    missing = run_script("--data", str(data_dir), "issuer", "list")
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith("laurel: error: ")
    usage = run_script("award")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    module = subprocess.run([os.path.join(os.path.dirname(laurel_script()), "python"), "-m",
                             "laurel", "--version"], capture_output=True, text=True, timeout=60)
    assert module.returncode == 0 and module.stdout.strip() == f"laurel {laurel.__version__}"


def run_in_terminal(argv, timeout=120):
    """Runs argv with stdin/stdout/stderr on a pseudo-terminal; returns (exit code, output)."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["COLUMNS"] = "100"
        os.environ["TERM"] = "xterm-256color"
        os.execv(argv[0], argv)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_award_shows_a_progress_bar_on_a_terminal(data_dir, tmp_path):
    badge_id = make_store(data_dir)
    csv_file = tmp_path / "people.csv"
    write_recipients(csv_file, 20_000)
    code, output = run_in_terminal([laurel_script(), "--data", str(data_dir), "award",
                                    "--badge", badge_id, "--csv", str(csv_file)])
    assert code == 0, output
    assert "Awarding Demo" in output
    assert "20000/20000" in output
    assert "duplicates skipped" in output
    assert count_assertions(data_dir, badge_id) == 20_000


def test_no_progress_bar_off_a_terminal(data_dir, tmp_path):
    badge_id = make_store(data_dir)
    csv_file = tmp_path / "people.csv"
    write_recipients(csv_file, 50)
    result = run_script("--data", str(data_dir), "award", "--badge", badge_id, "--csv",
                        str(csv_file))
    assert result.returncode == 0
    assert result.stderr == ""
    assert "Awarding" not in result.stdout


@pytest.mark.slow
def test_ctrl_c_during_award_writes_nothing(data_dir, tmp_path):
    """Ctrl-C once the progress bar shows (the batch is inside the core): exit 130, one line,
    nothing written."""
    badge_id = make_store(data_dir)
    csv_file = tmp_path / "people.csv"
    write_recipients(csv_file, 400_000)
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["COLUMNS"] = "100"
        argv = [laurel_script(), "--data", str(data_dir), "award", "--badge", badge_id,
                "--csv", str(csv_file)]
        os.execv(argv[0], argv)
    output = b""
    interrupted = False
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        output += data
        if not interrupted and b"Awarding" in output:
            os.kill(pid, signal.SIGINT)
            interrupted = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = output.decode("utf-8", "replace")
    assert interrupted, text
    assert os.waitstatus_to_exitcode(status) == 130, text
    assert "laurel: error: interrupted: the award was cancelled and nothing was written" in text
    assert "Traceback" not in text
    assert count_assertions(data_dir, badge_id) == 0
    # Every index still agrees with the records.
    checked = subprocess.run([laurel_script(), "--data", str(data_dir), "check"],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
