"""Two uvicorn workers over one LMDB environment: concurrent writers lose nothing, and
compare-and-set keeps one-per-key rules (one account per email) across processes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from rest_helpers import PASSWORD, make_user, new_badgeclass, new_issuer, ok, unique_email

THREADS = 8
PER_THREAD = 25


def _workers_seen(server, attempts: int = 200) -> set:
    pids = set()
    for _ in range(attempts):
        # A new connection each time, so the kernel may hand it to either worker.
        pids.add(httpx.get(f"{server.url}/healthz", timeout=30).json()["result"][0]["worker"])
        if len(pids) >= 2:
            break
    return pids


def test_the_session_server_runs_two_workers(server):
    assert len(_workers_seen(server)) == 2


def test_concurrent_awards_through_both_workers_are_all_kept(server):
    user = make_user(server, "concurrent")
    issuer = new_issuer(user, "Concurrent U")
    badgeclass = new_badgeclass(user, issuer["entityId"])
    url = f"{server.url}/v2/badgeclasses/{badgeclass['entityId']}/assertions"
    headers = {"Authorization": f"Bearer {user.token}"}

    def awarder(thread: int) -> list:
        ids = []
        for index in range(PER_THREAD):
            # No shared client: every request may land on either worker.
            response = httpx.post(url, headers=headers, timeout=60, json={
                "recipient": {"identity": f"t{thread}-{index}@example.org"}})
            assert response.status_code == 201, response.text
            ids.append(response.json()["result"][0]["entityId"])
        return ids

    with ThreadPoolExecutor(THREADS) as pool:
        issued = [entity_id for ids in pool.map(awarder, range(THREADS)) for entity_id in ids]
    assert len(issued) == len(set(issued)) == THREADS * PER_THREAD
    with user.client() as client:
        listed = ok(client.get(url, params={"num": 1000}))
    assert {item["entityId"] for item in listed} == set(issued)


def test_concurrent_batch_issues_and_revocations_are_all_kept(server):
    user = make_user(server, "batcher")
    issuer = new_issuer(user, "Batching U")
    badgeclass = new_badgeclass(user, issuer["entityId"])
    headers = {"Authorization": f"Bearer {user.token}"}

    def batch(thread: int) -> list:
        response = httpx.post(f"{server.url}/v2/badgeclasses/{badgeclass['entityId']}/issue",
                              headers=headers, timeout=60, json={"assertions": [
                                  {"recipient": {"identity": f"b{thread}-{i}@example.org"}}
                                  for i in range(50)]})
        assert response.status_code == 201, response.text
        return [item["entityId"] for item in response.json()["result"]]

    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(batch, range(4)))
    issued = [entity_id for ids in batches for entity_id in ids]
    assert len(set(issued)) == 200

    def revoke(ids: list) -> list:
        response = httpx.post(f"{server.url}/v2/assertions/revoke", headers=headers, timeout=60,
                              json=[{"entityId": entity_id, "revocationReason": "test"}
                                    for entity_id in ids[:25]])
        assert response.status_code == 200, response.text
        return response.json()["result"]

    with ThreadPoolExecutor(4) as pool:
        outcomes = [item for result in pool.map(revoke, batches) for item in result]
    assert all(item["revoked"] for item in outcomes) and len(outcomes) == 100
    with user.client() as client:
        live = ok(client.get(f"/v2/issuers/{issuer['entityId']}/assertions",
                             params={"num": 1000}))
        everything = ok(client.get(f"/v2/issuers/{issuer['entityId']}/assertions",
                                   params={"num": 1000, "include_revoked": "true"}))
    assert len(live) == 100 and len(everything) == 200


def test_racing_sign_ups_for_one_email_make_exactly_one_account(server):
    address = unique_email("racer")

    def sign_up(_: int) -> int:
        return httpx.post(f"{server.url}/v2/users", timeout=60,
                          json={"email": address, "password": PASSWORD}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(sign_up, range(8)))
    assert statuses == [201] * 8  # the same answer for every one: no account discovery
    subjects = sorted(str(mail["Subject"]) for mail in server.mails_to(address))
    assert subjects == ["Confirm your email address"] + \
        ["Someone tried to sign up with your address"] * 7


def test_racing_collection_writes_and_logins_lose_nothing(server):
    user = make_user(server, "racing")

    def create(index: int) -> str:
        response = httpx.post(f"{server.url}/v2/backpack/collections", timeout=60,
                              headers={"Authorization": f"Bearer {user.token}"},
                              json={"name": f"collection {index}"})
        assert response.status_code == 201, response.text
        return response.json()["result"][0]["entityId"]

    def log_in(_: int) -> str:
        response = httpx.post(f"{server.url}/o/token", timeout=60,
                              data={"grant_type": "password", "username": user.email,
                                    "password": PASSWORD})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(create, range(16)))
        tokens = list(pool.map(log_in, range(6)))
    with user.client() as client:
        listed = {c["entityId"] for c in ok(client.get("/v2/backpack/collections"))}
        assert listed == set(created)
        assert len(ok(client.get("/v2/auth/tokens"))) == 1 + len(tokens)
    for token in tokens:
        with user.client(token) as client:
            ok(client.get("/v2/users/self"))
