"""Several `laurel serve` nodes over one PostgreSQL database behave as one service (issue 15).

Real processes on loopback, on different ports, each with its own outbox folder (mail is the
node's own; tokens and one-time links live in the store): what one node writes the other reads;
a batch of 50,000 awards through one while the other serves reads; `kill -9` of the node in the
middle of a batch leaves all of it or none; a revocation through one shows in the other's public
documents and status lists; concurrent writers on both nodes lose no update and award no
duplicate when duplicates are refused; a node over a hot standby (`--read-only`) serves reads and
refuses writes with 503 ``read_only``.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List, Tuple

import httpx
import pytest

from rest_helpers import (PASSWORD, Server, User, award, failed, login, new_badgeclass,
                          new_issuer, ok, start_server, stop_server, unique_email)

BATCH = 50_000
NODE_ENV = {"LAUREL_MAX_BATCH": str(BATCH), "LAUREL_RATE_LIMIT": "0"}


def _sign_up(writer: Server, confirmer: Server, name: str) -> User:
    """An account made through `writer`, confirmed through `confirmer` with the link from the
    writer's outbox (the one-time token is in the store, not in the node)."""
    address = unique_email(name)
    response = httpx.post(f"{writer.url}/v2/users", timeout=30,
                          json={"email": address, "password": PASSWORD, "firstName": name,
                                "lastName": "Tester"})
    user_id = ok(response, 201)[0]["entityId"]
    mail = writer.mails_to(address)[-1].get_payload(decode=True).decode()
    link = re.search(r"/v1/user/confirmemail/(\S+)", mail)
    assert link, mail
    ok(httpx.get(f"{confirmer.url}/v1/user/confirmemail/{link.group(1)}", timeout=30))
    tokens = login(confirmer, address)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    return User(writer, address, PASSWORD, user_id, body["access_token"], body["refresh_token"])


def _on(user: User, node: Server) -> User:
    """The same account and token, talking to another node."""
    return User(node, user.email, user.password, user.entity_id, user.token, user.refresh)


@pytest.fixture(scope="module")
def database(pg_cluster: Any) -> str:
    return pg_cluster.fresh_url("nodes")


@pytest.fixture(scope="module")
def nodes(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[Server,
                                                                                    Server]]:
    first = start_server(tmp_path_factory.mktemp("node-a"), workers=2, data=database,
                         env=NODE_ENV)
    second = start_server(tmp_path_factory.mktemp("node-b"), workers=2, data=database,
                          env=NODE_ENV)
    yield first, second
    stop_server(first)
    stop_server(second)


@pytest.fixture(scope="module")
def staff(nodes: Tuple[Server, Server]) -> User:
    first, second = nodes
    return _sign_up(first, second, "staff")


def _eventually(check: Any, seconds: float = 30, pause: float = 0.2) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(pause)


def _badge(user: User, name: str = "Multi-node 101") -> Tuple[str, str]:
    issuer = new_issuer(user, f"{name} U")
    badge = new_badgeclass(user, issuer["entityId"], name)
    return issuer["entityId"], badge["entityId"]


def test_what_one_node_writes_the_other_reads(nodes, staff):
    first, second = nodes
    issuer_id, badge_id = _badge(staff)
    assertion = award(staff, badge_id, "ada@example.org")
    with _on(staff, second).client() as client:
        assert ok(client.get(f"/v2/issuers/{issuer_id}"))[0]["name"] == "Multi-node 101 U"
        assert ok(client.get(f"/v2/assertions/{assertion['entityId']}"))[0]["badgeclass"] \
            == badge_id
        # A write through the second node, read back through the first.
        ok(client.put(f"/v2/badgeclasses/{badge_id}",
                      json={"name": "Renamed", "description": "Finished the course",
                            "criteriaUrl": "https://example.edu/python-101"}))
    with staff.client() as client:
        assert ok(client.get(f"/v2/badgeclasses/{badge_id}"))[0]["name"] == "Renamed"
    public = httpx.get(f"{second.url}/public/assertions/{assertion['entityId']}", timeout=30)
    assert public.status_code == 200 and public.json()["badge"].endswith(badge_id)
    # A token made on one node works on the other, and revoking it on one ends it on both.
    extra = login(second, staff.email).json()["access_token"]
    with first.client(extra) as client:
        assert client.get(f"/v2/issuers/{issuer_id}").status_code == 200
        current = [token for token in ok(client.get("/v2/auth/tokens")) if token["current"]]
    assert len(current) == 1
    with second.client(extra) as client:
        ok(client.delete(f"/v2/auth/tokens/{current[0]['entityId']}"), 204)
    with first.client(extra) as client:
        assert client.get(f"/v2/issuers/{issuer_id}").status_code == 401


def test_a_batch_of_50000_through_one_node_while_the_other_serves_reads(nodes, staff):
    first, second = nodes
    issuer_id, badge_id = _badge(staff, "Batch 101")
    reads: List[int] = []
    stop = threading.Event()

    def read_loop() -> None:
        with _on(staff, second).client() as client:
            while not stop.is_set():
                reads.append(client.get(f"/v2/issuers/{issuer_id}").status_code)

    reader = threading.Thread(target=read_loop)
    reader.start()
    try:
        body = {"assertions": [{"recipient": {"identity": f"learner{i}@example.org",
                                              "type": "email"}} for i in range(BATCH)]}
        with staff.client() as client:
            client.timeout = httpx.Timeout(600)
            started = time.monotonic()
            issued = ok(client.post(f"/v2/badgeclasses/{badge_id}/issue", json=body), 201)
            seconds = time.monotonic() - started
    finally:
        stop.set()
        reader.join()
    assert len(issued) == BATCH
    # The other node kept answering while the batch was written (reads are not blocked by
    # the writer), every read a 200.
    assert len(reads) >= 5 and set(reads) == {200}, (len(reads), set(reads), seconds)
    with _on(staff, second).client() as client:
        page = ok(client.get(f"/v2/badgeclasses/{badge_id}/assertions", params={"num": 10}))
    assert len(page) == 10
    with second.open_store() as store:
        assert _count(store, badge_id) == BATCH


def _count(store: Any, badge_id: str) -> int:
    return sum(1 for _ in store.iter_assertions(badgeclass=badge_id, include_revoked=True))


def test_kill_9_during_a_batch_leaves_all_or_nothing(nodes, staff, database, pg_cluster,
                                                     tmp_path):
    """The node is killed (SIGKILL: no clean-up of any kind) while its batch is in flight; the
    database rolls the open transaction back with the lost connection."""
    _, second = nodes
    # Named, so that the database's view of its connections tells its transaction apart.
    victim = start_server(tmp_path / "victim", workers=1, env=NODE_ENV,
                          data=database + "&application_name=laurel_victim")
    _, badge_id = _badge(staff, "Killed 101")
    body = {"assertions": [{"recipient": {"identity": f"killed{i}@example.org",
                                          "type": "email"}} for i in range(BATCH)]}
    outcome: Dict[str, Any] = {}

    def post() -> None:
        try:
            with _on(staff, victim).client() as client:
                client.timeout = httpx.Timeout(600)
                outcome["status"] = client.post(f"/v2/badgeclasses/{badge_id}/issue",
                                                json=body).status_code
        except httpx.HTTPError as error:
            outcome["error"] = error

    sender = threading.Thread(target=post)
    sender.start()
    # Wait until the node is inside the batch's write transaction (it holds the store's
    # writers' lock, an advisory lock), then kill it in the middle.
    writing = _eventually(lambda: pg_cluster.sql(
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
        "WHERE l.locktype = 'advisory' AND l.granted "
        "AND a.application_name = 'laurel_victim'") not in ("", "0"), seconds=120, pause=0.02)
    victim.process.send_signal(signal.SIGKILL)
    victim.process.wait(timeout=30)
    sender.join(timeout=60)
    assert writing, "the batch never started writing"
    assert "status" not in outcome, outcome  # the client got no answer
    with second.open_store() as store:
        count = _count(store, badge_id)
        assert count in (0, BATCH), count
        assert store.check()["problemCount"] == 0
    # The dead node holds nothing: the other node writes at once.
    started = time.monotonic()
    award(_on(staff, second), badge_id, "after-the-kill@example.org")
    assert time.monotonic() - started < 10


def _bit(encoded: str, index: int) -> bool:
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def _jwt_claims(token: str) -> Dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_revocation_through_one_node_shows_in_the_others_documents_and_status_lists(
        nodes, staff):
    first, second = nodes
    issuer_id, badge_id = _badge(staff, "Revoked 101")
    assertion = award(staff, badge_id, "grace@example.org")
    assertion_id = assertion["entityId"]
    with second.open_store() as store:
        status = _jwt_claims(store.credential(assertion_id, second.url))["credentialStatus"]
    list_url = status["statusListCredential"].replace(second.url, "")
    index = int(status["statusListIndex"])
    before = httpx.get(second.url + list_url, timeout=30)
    assert before.status_code == 200
    assert not _bit(_jwt_claims(before.text)["credentialSubject"]["encodedList"], index)
    assert httpx.get(f"{second.url}/public/assertions/{assertion_id}",
                     timeout=30).status_code == 200

    with staff.client() as client:  # revoked through the first node
        ok(client.delete(f"/v2/assertions/{assertion_id}",
                         params={"revocation_reason": "Issued in error"}))

    gone = httpx.get(f"{second.url}/public/assertions/{assertion_id}", timeout=30)
    assert gone.status_code == 410 and gone.json()["revoked"] is True
    revocations = httpx.get(f"{second.url}/public/issuers/{issuer_id}/revocations", timeout=30)
    assert assertion_id in revocations.text
    after = httpx.get(second.url + list_url, headers={"If-None-Match": before.headers["etag"]},
                      timeout=30)
    assert after.status_code == 200, "the second node served its stale status list"
    assert _bit(_jwt_claims(after.text)["credentialSubject"]["encodedList"], index)


def test_concurrent_awards_on_both_nodes_lose_none(nodes, staff):
    first, second = nodes
    _, badge_id = _badge(staff, "Concurrent 101")
    clients = [_on(staff, first), _on(staff, second)]

    def one(index: int) -> int:
        user = clients[index % 2]
        body = {"recipient": {"identity": f"c{index}@example.org", "type": "email"}}
        with user.client() as client:
            return client.post(f"/v2/badgeclasses/{badge_id}/assertions",
                               json=body).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(one, range(200)))
    assert statuses.count(201) == 200, statuses
    with first.open_store() as store:
        assert _count(store, badge_id) == 200


def test_no_duplicate_award_when_both_nodes_get_the_same_recipient(nodes, staff):
    first, second = nodes
    _, badge_id = _badge(staff, "Once 101")
    barrier = threading.Barrier(2)

    def attempt(node: Server, identity: str) -> int:
        body = {"recipient": {"identity": identity, "type": "email"},
                "allowDuplicateAwards": False}
        with _on(staff, node).client() as client:
            barrier.wait()
            return client.post(f"/v2/badgeclasses/{badge_id}/assertions",
                               json=body).status_code

    for round_ in range(30):
        identity = f"once{round_}@example.org"
        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(attempt, [first, second], [identity, identity]))
        assert statuses[0] == 201 and statuses[1] in (201, 409), statuses
        assert statuses.count(201) == 1, (identity, statuses)
    with second.open_store() as store:
        assert _count(store, badge_id) == 30


def test_concurrent_revocations_on_both_nodes(nodes, staff):
    first, second = nodes
    _, badge_id = _badge(staff, "Revoke race 101")
    ids = [award(staff, badge_id, f"r{i}@example.org")["entityId"] for i in range(20)]

    def revoke(pair: Tuple[Server, str]) -> int:
        node, assertion_id = pair
        with _on(staff, node).client() as client:
            return client.delete(f"/v2/assertions/{assertion_id}",
                                 params={"revocation_reason": "race"}).status_code

    work = [(node, assertion_id) for assertion_id in ids for node in (first, second)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(revoke, work))
    for position, assertion_id in enumerate(ids):
        pair = statuses[2 * position: 2 * position + 2]
        assert 200 in pair and all(status in (200, 404, 409) for status in pair), pair
    with first.open_store() as store:
        assert all(store.get_assertion(assertion_id).revoked for assertion_id in ids)
        assert store.stats()["counts"]["revoked"] >= 20
        assert store.check()["problemCount"] == 0


def test_wrong_passwords_on_both_nodes_are_all_counted(nodes, staff):
    """The sign-in throttle's counts are compare-and-set updates of one service document: two
    nodes failing at once lose no failure."""
    first, second = nodes
    victim = _sign_up(first, second, "counted")
    failures = 8  # below the account's limit (10): every one is a 400, none a 429

    def wrong(index: int) -> int:
        return login([first, second][index % 2], victim.email, "wrong password").status_code

    with ThreadPoolExecutor(failures) as pool:
        statuses = list(pool.map(wrong, range(failures)))
    assert set(statuses) == {400}, statuses
    with first.open_store() as store:
        counts = [document for _, document in store.list_documents("password_failures")]
    account = [record for record in counts if record.get("failures") == failures]
    assert account, counts


@pytest.fixture(scope="module")
def standby_node(pg_cluster: Any, database: str, nodes, staff,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A read-only node over a hot standby of the tests' cluster (pg_basebackup -R), made once
    the store is in use: the core makes a table when it is first written (a signing key's
    table with the first key), and a standby cannot make one, so reads of a table its primary
    never made fail there (503) until the primary makes it."""
    from pg_cluster import schema_of, with_schema

    _, badge_id = _badge(staff, "Before the standby")
    with nodes[0].open_store() as store:
        store.credential(award(staff, badge_id, "first@example.org")["entityId"], nodes[0].url)
    standby_url = with_schema(pg_cluster.standby(), schema_of(database))
    node = start_server(tmp_path_factory.mktemp("standby"), workers=1, data=standby_url,
                        env=NODE_ENV, args=["--read-only"])
    yield node
    stop_server(node)


def test_a_read_only_node_over_a_standby_serves_reads_and_refuses_writes(
        nodes, staff, standby_node):
    first, _ = nodes
    issuer_id, badge_id = _badge(staff, "Standby 101")
    assertion_id = award(staff, badge_id, "linus@example.org")["entityId"]
    public = f"{standby_node.url}/public/assertions/{assertion_id}"
    assert _eventually(lambda: httpx.get(public, timeout=30).status_code == 200), \
        "the standby never caught up"
    document = httpx.get(public, timeout=30).json()
    assert document["id"].endswith(assertion_id)
    issuer_doc = httpx.get(f"{standby_node.url}/public/issuers/{issuer_id}", timeout=30)
    assert issuer_doc.status_code == 200
    # The API's reads with a token made on the primary's nodes.
    with _on(staff, standby_node).client() as client:
        assert ok(client.get(f"/v2/assertions/{assertion_id}"))[0]["entityId"] == assertion_id
        refused = client.post(f"/v2/badgeclasses/{badge_id}/assertions",
                              json={"recipient": {"identity": "x@example.org",
                                                  "type": "email"}})
    body = failed(refused, 503)
    assert body["errorCode"] == "read_only" and "read" in body["status"]["description"].lower()
    assert failed(login(standby_node, staff.email), 503)["errorCode"] == "read_only"
    # A GET that writes (an email-confirmation link) reaches the standby's own refusal: 503,
    # never a 500, and the link still works on the primary's nodes afterwards.
    address = unique_email("late")
    ok(httpx.post(f"{first.url}/v2/users", timeout=30,
                  json={"email": address, "password": PASSWORD, "firstName": "Late"}), 201)
    mail = first.mails_to(address)[-1].get_payload(decode=True).decode()
    path = re.search(r"/v1/user/confirmemail/(\S+)", mail).group(0)
    refused_link = None
    for _ in range(150):  # until the standby has the account (replication lag)
        refused_link = httpx.get(standby_node.url + path, timeout=30)
        if refused_link.status_code == 503:
            break
        time.sleep(0.2)
    assert refused_link.status_code == 503, refused_link.text
    assert "standby" in refused_link.text
    ok(httpx.get(first.url + path, timeout=30))
    # Revocations through the primary's nodes reach the standby's readers.
    with staff.client() as client:
        ok(client.delete(f"/v2/assertions/{assertion_id}", params={"revocation_reason": "x"}))
    assert _eventually(lambda: httpx.get(public, timeout=30).status_code == 410)
