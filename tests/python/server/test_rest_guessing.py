"""Password guessing and sign-in limits (issue 12): wrong passwords are counted per account and per
client address in the store (shared by both workers) and answered 429 with Retry-After before any
hash; concurrent Argon2 hashing is bounded; a refresh asking for more scope keeps its token; the
rate limiter keys on the token's user, so made-up bearers do not escape it."""

from __future__ import annotations

import threading
from typing import Iterator, List

import httpx
import pytest

from rest_helpers import PASSWORD, Server, login, make_user, start_server, stop_server


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("guessing"), workers=2,
                           env={"LAUREL_LOGIN_FAILURES": "5", "LAUREL_LOGIN_ADDRESS_FAILURES": "12",
                                "LAUREL_LOGIN_WINDOW": "60", "LAUREL_RATE_LIMIT": "40",
                                "LAUREL_RATE_WINDOW": "60"})
    yield running
    stop_server(running)


def test_wrong_passwords_lock_the_account_across_workers(guarded):
    user = make_user(guarded, "guessed")
    statuses = [login(guarded, user.email, f"wrong guess {n}").status_code for n in range(5)]
    assert statuses == [400] * 5  # spread over both workers by the kernel; counted once each
    refused = login(guarded, user.email)  # even the right password, until the window ends
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Another account from the same address still signs in (below the address's limit).
    other = make_user(guarded, "bystander")
    assert login(guarded, other.email).status_code == 200


def test_wrong_passwords_from_one_address_are_limited_across_accounts(guarded):
    users = [make_user(guarded, f"spray{n}") for n in range(3)]
    statuses = [login(guarded, users[n % 3].email, "spraying guess").status_code
                for n in range(12)]
    assert statuses.count(400) == len(statuses) - statuses.count(429)
    assert login(guarded, users[0].email).status_code == 429


def test_a_wider_refresh_is_refused_and_keeps_the_token(server):
    user = make_user(server, "narrow")
    narrow = httpx.post(f"{server.url}/o/token", timeout=30, data={
        "grant_type": "refresh_token", "refresh_token": user.refresh, "scope": "r:profile"})
    assert narrow.status_code == 200, narrow.text
    refresh = narrow.json()["refresh_token"]
    wider = httpx.post(f"{server.url}/o/token", timeout=30, data={
        "grant_type": "refresh_token", "refresh_token": refresh, "scope": "rw:issuer"})
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    again = httpx.post(f"{server.url}/o/token", timeout=30, data={
        "grant_type": "refresh_token", "refresh_token": refresh})
    assert again.status_code == 200, again.text  # the refused request did not use it up
    assert again.json()["scope"] == "r:profile"


def test_made_up_bearers_share_the_address_bucket(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("bearers"), workers=1,
                           env={"LAUREL_RATE_LIMIT": "20", "LAUREL_RATE_WINDOW": "60"})
    try:
        user = make_user(running, "bucket")  # a few requests from this address
        statuses = [httpx.get(f"{running.url}/v2/issuers", timeout=30,
                              headers={"Authorization": f"Bearer made-up-{n}"}).status_code
                    for n in range(25)]
        # What the address's bucket had left after the sign-up (it refills one every 3 s), then
        # 429s: each made-up bearer is the same client, not a fresh bucket.
        assert statuses[:10] == [401] * 10 and set(statuses) == {401, 429}, statuses
        assert statuses.count(429) >= 5 and statuses[-1] == 429, statuses
        # A real token has its own bucket, keyed on its user (not on the header's text).
        with user.client() as client:
            assert client.get("/v2/issuers").status_code == 200
            assert client.get("/v2/issuers", headers={
                "Authorization": f"bearer  {user.token}"}).status_code in (200, 401)
    finally:
        stop_server(running)


def test_concurrent_hashing_is_bounded_and_excess_gets_429(tmp_path_factory):
    """Expensive hashes, one at a time, a short wait: a burst of logins gets some 429s with
    Retry-After instead of each worker hashing them all at once."""
    running = start_server(tmp_path_factory.mktemp("argon"), workers=1,
                           env={"LAUREL_ARGON2_TIME_COST": "3", "LAUREL_ARGON2_MEMORY_KIB": "65536",
                                "LAUREL_ARGON2_CONCURRENCY": "1", "LAUREL_ARGON2_WAIT": "0.2",
                                "LAUREL_LOGIN_FAILURES": "1000",
                                "LAUREL_LOGIN_ADDRESS_FAILURES": "1000"})
    try:
        responses: List[httpx.Response] = []
        lock = threading.Lock()

        def guess() -> None:
            response = login(running, "nobody@example.org", "wrong password")
            with lock:
                responses.append(response)

        threads = [threading.Thread(target=guess) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(response.status_code for response in responses)
        assert 400 in statuses and 429 in statuses, statuses
        assert all(response.headers.get("Retry-After") for response in responses
                   if response.status_code == 429)
    finally:
        stop_server(running)
