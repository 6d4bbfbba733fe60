"""Issues one Open Badges 3.0 credential with a Data Integrity proof from a fresh Laurel store and
prints {"credential", "profileUrl", "profile"} as JSON (for interop.test.mjs).

Usage: python laurel_issue.py DATA_DIR
"""

from __future__ import annotations

import json
import sys

import laurel

BASE = "https://laurel.example.edu"

with laurel.Store(sys.argv[1]) as store:
    issuer = store.create_issuer(name="Interop University", email="badges@interop.example.edu",
                                 url="https://interop.example.edu")
    badge = store.create_badgeclass(issuer.entity_id, name="Interop", description="Crossed over",
                                    criteria_narrative="Verified by two stacks")
    awarded = store.issue(badge.entity_id, "learner@example.org")
    credential = store.credential(awarded.entity_id, BASE, format="data-integrity")
    profile_url = f"{BASE}/public/ob3/issuers/{issuer.entity_id}"
    json.dump({"credential": json.loads(credential), "profileUrl": profile_url,
               "profile": store.public_document("ob3_issuer", issuer.entity_id, BASE)},
              sys.stdout)
