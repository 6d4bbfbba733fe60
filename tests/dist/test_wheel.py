"""The portable wheel from `make dist`, installed as a user would: into a fresh venv, outside
the repository, with Debian's LMDB, simdjson and Crypto++ made unloadable (bind-mounted over
with /dev/null in a private mount namespace). The CLI, a bulk award and `laurel serve` (GET
/verify, the widget the wheel carries) must all work from it.

Run by `make test-dist` (after `make dist`); marked slow."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
# Debian's shared copies of the three libraries (the dev build links these).
DEBIAN_LIBRARIES = ("liblmdb.so*", "libsimdjson.so*", "libcrypto++.so*")
ALLOWED_NEEDED = {"libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6",
                  "libpthread.so.0", "ld-linux-x86-64.so.2"}


def _wheel() -> Path:
    wheels = sorted(DIST.glob("laurel_badges-*manylinux*.whl"))
    if not wheels:
        pytest.fail(f"no manylinux wheel in {DIST}: run `make dist` first")
    return wheels[-1]


def _debian_copies() -> list:
    found = []
    for pattern in DEBIAN_LIBRARIES:
        found += [path for path in glob.glob(f"/usr/lib/*-linux-gnu/{pattern}")
                  if os.path.isfile(path) and not os.path.islink(path)]
    return sorted(found)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def wheel() -> Path:
    return _wheel()


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh venv (no system site-packages) with the wheel and its server extra."""
    where = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    subprocess.run([str(where / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", f"{wheel}[server]"], check=True)
    return where


def test_the_wheel_is_manylinux_and_links_only_glibc_and_libstdcxx(wheel, tmp_path):
    assert "manylinux_2_" in wheel.name, wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        extension = next(name for name in names if name.startswith("laurel/_core")
                         and name.endswith(".so"))
        archive.extract(extension, tmp_path)
        metadata = archive.read(next(name for name in names
                                     if name.endswith(".dist-info/METADATA"))).decode()
    assert "Name: laurel-badges" in metadata
    assert not any(".libs/" in name for name in names), "auditwheel grafted libraries"
    # the widget ships inside the wheel
    assert "laurel/web/index.html" in names and "laurel/web/laurel/laurel.mjs" in names
    so = tmp_path / extension
    dynamic = subprocess.run(["readelf", "-d", str(so)], check=True, capture_output=True,
                             text=True).stdout
    needed = {line.split("[")[1].split("]")[0] for line in dynamic.splitlines()
              if "(NEEDED)" in line}
    assert needed <= ALLOWED_NEEDED, needed
    linked = subprocess.run(["ldd", str(so)], check=True, capture_output=True, text=True).stdout
    for name in ("liblmdb", "libsimdjson", "libcrypto++"):
        assert name not in linked, linked


def _hidden_run(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Runs the bash `script` with Debian's copies of the three libraries unloadable."""
    hide = "".join(f"mount --bind /dev/null {path}\n" for path in _debian_copies())
    return subprocess.run(["unshare", "--mount", "bash", "-euo", "pipefail", "-c",
                           "mount --make-rprivate /\n" + hide + script],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


needs_namespaces = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="hiding Debian's libraries needs root and unshare (ldd proves it above)")


@needs_namespaces
def test_hiding_works_the_dev_build_cannot_load_without_debians_libraries(tmp_path):
    """The control: the repository's dev build links Debian's libraries, so with them hidden
    its extension fails to load. Otherwise the next test would prove nothing."""
    if not _debian_copies():
        pytest.skip("Debian's copies are not installed here")
    dev_python = ROOT / ".venv" / "bin" / "python"
    if not dev_python.exists():
        pytest.skip("no dev venv")
    done = _hidden_run(f"{dev_python} -c 'import laurel._core'", tmp_path)
    assert done.returncode != 0
    assert "cannot open shared object" in done.stderr or "too short" in done.stderr, done.stderr


@needs_namespaces
def test_cli_bulk_award_and_serve_from_the_wheel_with_debians_libraries_hidden(venv, tmp_path):
    bin_dir = venv / "bin"
    port = _free_port()
    (tmp_path / "learners.csv").write_text(
        "email,narrative,evidence_url,name\n"
        "ada@example.org,Top marks,https://example.org/p/ada,Ada\n"
        "alan@example.org,,https://example.org/p/alan,Alan\n"
        "grace@example.org,Great project,,Grace\n")
    script = f"""
export PATH={bin_dir}:/usr/bin:/bin LAUREL_DATA={tmp_path}/data
laurel --version
laurel init
issuer=$(laurel --json issuer create --name 'Wheel U' --email b@example.org \\
           --url https://example.org | python -c 'import json,sys; print(json.load(sys.stdin)["entityId"])')
badge=$(laurel --json badge create --issuer "$issuer" --name Portable --description Wheel \\
          | python -c 'import json,sys; print(json.load(sys.stdin)["entityId"])')
laurel --json award --badge "$badge" --csv learners.csv >award.json
laurel --json award --badge "$badge" --csv learners.csv >again.json
laurel serve --port {port} >serve.log 2>&1 &
server=$!
python - <<'PY'
import time, urllib.request
for _ in range(300):
    try:
        with urllib.request.urlopen("http://127.0.0.1:{port}/verify/") as response:
            body = response.read().decode()
            print("verify", response.status, "Verify an Open Badge" in body)
            break
    except OSError:
        time.sleep(0.2)
else:
    raise SystemExit("the server did not answer")
with urllib.request.urlopen("http://127.0.0.1:{port}/verify/laurel/laurel.mjs") as response:
    print("module", response.status, len(response.read()) > 100000)
PY
kill $server
wait $server || true
"""
    done = _hidden_run(script, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "laurel 0." in done.stdout
    assert "verify 200 True" in done.stdout
    assert "module 200 True" in done.stdout
    import json

    award = json.loads((tmp_path / "award.json").read_text())
    assert (award["awarded"], award["duplicates"], award["errors"]) == (3, 0, 0)
    assert award["ignoredColumns"] == ["name"]
    again = json.loads((tmp_path / "again.json").read_text())
    assert (again["awarded"], again["duplicates"]) == (0, 3)
