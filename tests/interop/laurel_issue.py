"""Issues one Open Badges 3.0 credential with a Data Integrity proof from a fresh Laurel store and
prints {"credential", "profileUrl", "profile", "controller", "controllerDocument"} as JSON (for
interop.test.mjs). With --did-web the issuer is named by its did:web, and the controller document
is its DID document; otherwise the controller is the Profile.

Usage: python laurel_issue.py DATA_DIR [--did-web]
"""

from __future__ import annotations

import json
import sys

import laurel

BASE = "https://laurel.example.edu"
DID_WEB = "--did-web" in sys.argv[2:]

with laurel.Store(sys.argv[1]) as store:
    issuer = store.create_issuer(name="Interop University", email="badges@interop.example.edu",
                                 url="https://interop.example.edu", did_web=DID_WEB)
    badge = store.create_badgeclass(issuer.entity_id, name="Interop", description="Crossed over",
                                    criteria_narrative="Verified by two stacks")
    awarded = store.issue(badge.entity_id, "learner@example.org")
    credential = store.credential(awarded.entity_id, BASE, format="data-integrity")
    profile_url = f"{BASE}/public/ob3/issuers/{issuer.entity_id}"
    profile = store.public_document("ob3_issuer", issuer.entity_id, BASE)
    controller = store.public_document("ob3_did", issuer.entity_id, BASE) if DID_WEB else profile
    json.dump({"credential": json.loads(credential), "profileUrl": profile_url,
               "profile": profile, "controller": controller["id"],
               "controllerDocument": controller, "didUrl": f"{profile_url}/did.json"},
              sys.stdout)
