"""The record layer (laurel.records) through the Python API of the kinds built on it: a real
store, each kind's own rules, and a new kind declared here that gets its Python API, REST routes
and CLI subcommand from its description alone."""

from __future__ import annotations

import argparse

import laurel
import pytest
from laurel import claims, endorsements, evidence, organizations, records
from laurel.records import Field, RecordKind


def test_an_organization_defaults_to_its_creator_as_owner_and_checks_members(store, issuer):
    made = organizations.create_organization(store, {"name": "Guild"}, created_by="u1")
    assert made["members"] == [{"user": "u1", "role": "owner"}]
    assert organizations.create_organization(store, {"name": "Local"})["members"] == []
    for members, field in (([], "members"), ([{"user": "u2", "role": "chief"}], "members.0.role"),
                           ([{"user": "u2", "role": "staff"}], "members"),
                           ([{"user": "u1", "role": "owner"}, {"user": "u1", "role": "staff"}],
                            "members.1.user"), ("u1:owner", "members")):
        with pytest.raises(laurel.ValidationError) as refused:
            organizations.set_members(store, made["entityId"], members)
        assert refused.value.field == field, members
    changed = organizations.update_organization(
        store, made["entityId"], {"members": [{"user": "u1", "role": "owner"},
                                              {"user": "u2", "role": "editor"}]})
    assert [member["user"] for member in changed["members"]] == ["u1", "u2"]
    kept = organizations.update_organization(store, made["entityId"], {"name": "Guild 2"},
                                             replace=True)
    assert kept["members"] == changed["members"] and kept["description"] is None
    assert [record["entityId"] for record in organizations.list_organizations(store, "u2")] == [
        made["entityId"]]
    organizations.add_issuer(store, made["entityId"], issuer.entity_id)
    assert organizations.organization_of(store, issuer.entity_id)["entityId"] == made["entityId"]
    organizations.delete_organization(store, made["entityId"])
    assert organizations.organization_of(store, issuer.entity_id) is None  # the link cascades
    assert organizations.parse_member("a:b:editor") == {"user": "a:b", "role": "editor"}


def test_endorsements_are_records_of_their_endorser(store, issuer, badge):
    endorser = endorsements.create_endorser(store, {"name": "Guild", "email": "g@example.org"},
                                            owner="u1")
    with pytest.raises(laurel.PermissionDenied):
        endorsements.endorse(store, endorser["entityId"], "issuer", issuer.entity_id)
    endorsements.register_endorser(store, endorser["entityId"])
    first = endorsements.endorse(store, endorser["entityId"], "issuer", issuer.entity_id, "Good")
    second = endorsements.endorse(store, endorser["entityId"], "badgeclass", badge.entity_id)
    with pytest.raises(laurel.Conflict):
        endorsements.endorse(store, endorser["entityId"], "issuer", issuer.entity_id)
    assert [record["entityId"] for record in endorsements.endorsements_of(
        store, issuer.entity_id)] == [first["entityId"]]
    assert {record["entityId"] for record in endorsements.list_endorsements(
        store, endorser["entityId"])} == {first["entityId"], second["entityId"]}
    endorsements.delete_endorsement(store, first["entityId"])
    assert endorsements.endorsements_of(store, issuer.entity_id) == []
    with pytest.raises(laurel.NotFound, match="no such endorsement"):
        endorsements.get_endorsement(store, first["entityId"])
    endorsements.delete_endorser(store, endorser["entityId"])  # its endorsements go with it
    assert endorsements.list_endorsements(store) == []
    assert endorsements.endorsements_of(store, badge.entity_id) == []


def test_evidence_items_are_named_by_position(store, badge):
    assertion = store.issue(badge.entity_id, "ada@example.org")
    updated, index = evidence.add_evidence(store, assertion.entity_id, "https://example.org/a")
    assert index == 0 and updated.to_dict()["evidence"][0]["url"] == "https://example.org/a"
    evidence.add_evidence(store, assertion.entity_id, {"narrative": "Wrote it", "genre": None})
    evidence.update_evidence(store, assertion.entity_id, 0, {"narrative": "Read it"})
    evidence.update_evidence(store, assertion.entity_id, 1, {"url": "https://example.org/b"},
                             replace=True)
    items = evidence.list_evidence(store, assertion.entity_id)
    assert [(item.get("url"), item.get("narrative")) for item in items] == [
        ("https://example.org/a", "Read it"), ("https://example.org/b", None)]
    with pytest.raises(laurel.ValidationError) as refused:
        evidence.add_evidence(store, assertion.entity_id, {"url": "nope"})
    assert refused.value.field == "evidence.2.url"
    with pytest.raises(laurel.NotFound, match="the assertion has no evidence item 5"):
        evidence.delete_evidence(store, assertion.entity_id, 5)
    with pytest.raises(TypeError):
        evidence.delete_evidence(store, assertion.entity_id, True)
    evidence.delete_evidence(store, assertion.entity_id, 0)
    assert [item["url"] for item in evidence.list_evidence(store, assertion.entity_id)] == [
        "https://example.org/b"]


def test_a_claimable_record_is_one_per_badge_class(store, issuer, badge):
    target = store.create_badgeclass(issuer.entity_id, "Master", "All of them")
    other = store.create_badgeclass(issuer.entity_id, "Other", "Another")
    cases = (([], "qualifying"), ([target.entity_id], "qualifying.0"),
             ([badge.entity_id, badge.entity_id], "qualifying.1"),
             (["AAAAAAAAAAAAAAAAAAAAAA"], "qualifying.0"), ([7], "qualifying.0"),
             ("not a list", "qualifying"))
    for qualifying, field in cases:
        with pytest.raises(laurel.ValidationError) as refused:
            claims.set_qualifying(store, target.entity_id, qualifying)
        assert refused.value.field == field, qualifying
    with pytest.raises(laurel.NotFound, match="the badge class is not claimable"):
        claims.get_qualifying(store, target.entity_id)
    made = claims.set_qualifying(store, target, (badge, other.entity_id), created_by="u1")
    assert made["qualifying"] == [badge.entity_id, other.entity_id]
    again = claims.set_qualifying(store, target.entity_id, [badge.entity_id], created_by="u2")
    assert again["createdBy"] == "u1" and again["badgeclass"] == target.entity_id
    assert claims.list_claimable(store) == [again]
    assert claims.list_claimable(store, [badge.entity_id]) == []
    assert claims.remove_qualifying(store, target.entity_id) is True
    assert claims.remove_qualifying(store, target.entity_id) is False


# A new kind is its description: here, an issuer's notes.
NOTE = RecordKind(kind="test_note", entity_type="Note", noun="note", plural="notes", cli="note",
                  help="an issuer's notes", fields=(Field("text", required=True, column="text"),
                                                    Field("pinned", kind=bool)))


def test_a_new_kind_gets_its_python_api_rest_routes_and_cli_from_its_description(store, issuer):
    create, get, list_notes, update, delete = records.functions(NOTE)
    note = create(store, issuer.entity_id, {"text": "Remember"}, created_by="u1")
    assert get(store, note["entityId"])["text"] == "Remember"
    assert update(store, note["entityId"], {"pinned": True})["pinned"] is True
    with pytest.raises(laurel.ValidationError) as refused:
        update(store, note["entityId"], {"text": " "})
    assert refused.value.field == "text"
    assert [item["entityId"] for item in list_notes(store, issuer.entity_id)] == [
        note["entityId"]]
    delete(store, note["entityId"])
    assert list_notes(store) == []

    from laurel.server.records import RecordRoutes
    routes = {(route.path, method) for route in RecordRoutes(NOTE).router.routes
              for method in route.methods}
    assert routes == {("/v2/issuers/{issuer_id}/notes", "GET"),
                      ("/v2/issuers/{issuer_id}/notes", "POST"),
                      *(("/v2/notes/{note_id}", method) for method in
                        ("GET", "PUT", "PATCH", "DELETE"))}

    from laurel.cli.records import register_kind
    parser = argparse.ArgumentParser()
    register_kind(parser.add_subparsers(dest="command"), argparse.ArgumentParser(add_help=False),
                  NOTE, "Notes.")
    args = parser.parse_args(["note", "create", "--issuer", "I", "--text", "Hi",
                              "--pinned", "true"])
    assert (args.action, args.owner, args.field_text, args.field_pinned) == (
        "create", "I", "Hi", "true")
