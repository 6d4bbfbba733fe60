"""OB 3.0 VC-JWT issuing: Laurel's Store.credentials (one call, every core) against the pure-Python
peer openbadgeslib signing the very same credentials, measured in the same run.

Laurel issues N credentials with store.credentials(ids, base_url) (EdDSA; the core reads each
assertion, builds the OpenBadgeCredential with its status entry, signs it on 2 threads). The peer
gets each of those credentials' claims already built (a dict) and signs it with
OB3Signer(..., "EdDSA").sign_payload, its own VC-JWT path (PyJWT over `cryptography`'s Ed25519):
building nothing, so the comparison favours the peer. Target: Laurel >= 3x the peer. The two
alternate round by round.

openbadgeslib is a test and bench dependency (pyproject's dev extra, pinned); the bench installs it
into the running interpreter when it is missing. Best of ROUNDS runs each (the machine is shared).

Usage: python bench/ob3_issue_bench.py [--credentials N] [--rounds R]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import laurel

BASE = "https://badges.example.org"
PEER = "openbadgeslib==4.6.3"


def _peer_signer_class():
    try:
        from openbadgeslib.ob3.signer import OB3Signer
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", PEER], check=True)
        from openbadgeslib.ob3.signer import OB3Signer
    return OB3Signer


def _claims(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credentials", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    signer_class = _peer_signer_class()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    directory = tempfile.mkdtemp(prefix="laurel-ob3-bench-")
    try:
        with laurel.Store(os.path.join(directory, "store")) as store:
            issuer = store.create_issuer("Bench U", "badges@example.org", "https://example.org")
            badge = store.create_badgeclass(issuer, "Bench Badge", "Issued at speed",
                                            criteria_url="https://example.org/criteria")
            store.create_key(issuer, "EdDSA")
            issued = store.issue_batch(badge, [f"learner{i}@example.org"
                                               for i in range(args.credentials)])
            ids = [item.entity_id for item in issued]
            made = store.credentials(ids, BASE)
            assert all(item["signed"] for item in made)
            payloads = [_claims(item["credential"]) for item in made]
            key = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())
            signer = signer_class(key, algorithm="EdDSA")
            # Rounds alternate between the two, so that both see the same load from the
            # machine's other work.
            laurel_best = peer_best = float("inf")
            for _ in range(args.rounds):
                made = None  # freeing the last round's tokens is no part of issuing these
                started = time.perf_counter()
                made = store.credentials(ids, BASE)
                laurel_best = min(laurel_best, time.perf_counter() - started)
                started = time.perf_counter()
                for payload in payloads:
                    signer.sign_payload(payload)
                peer_best = min(peer_best, time.perf_counter() - started)
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    n = args.credentials
    laurel_rate, peer_rate = n / laurel_best, n / peer_best
    print(f"OB 3.0 VC-JWT issuing, {n} credentials, best of {args.rounds}; "
          f"{os.cpu_count()} CPUs")
    print(f"{'openbadgeslib OB3Signer.sign_payload (claims prebuilt), 1 process':<66} "
          f"{peer_rate:10.0f} /s")
    print(f"{'laurel Store.credentials (build + sign, every core)':<66} {laurel_rate:10.0f} /s")
    ratio = laurel_rate / peer_rate
    print(f"\ntarget: laurel >= 3x openbadgeslib: {ratio:.1f}x {'MET' if ratio >= 3 else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
