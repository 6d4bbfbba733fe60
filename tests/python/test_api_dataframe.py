"""Notebook-first issue_batch: one column vocabulary for DataFrames, dicts of columns and row
dicts; columns= mapping; ignored extra columns; dates as datetime/pd.Timestamp; errors naming the
DataFrame's index label; result.to_dataframe(); pd.DataFrame(page); progress=True; and the
default that skips recipients who already hold the badge."""

from __future__ import annotations

import datetime as dt

import pytest

import laurel

pd = pytest.importorskip("pandas")


def learners() -> "pd.DataFrame":
    return pd.DataFrame({
        "student": ["s1", "s2", "s3"],
        "name": ["Ada", "Alan", "Grace"],
        "email": ["ada@example.org", "alan@example.org", "grace@example.org"],
        "narrative": ["Top marks", None, "Great project"],
        "evidence_url": ["https://example.org/p/ada", None, "https://example.org/p/grace"],
        "score": [93, 71, 88],
    }).set_index("student")


def test_dataframe_columns_become_fields_and_extra_columns_are_ignored_with_a_note(store, badge):
    with pytest.warns(laurel.IgnoredColumnsWarning, match="'name', 'score'"):
        result = store.issue_batch(badge, learners())
    assert result.issued == 3 and result.ignored_columns == ["name", "score"]
    ada, alan, grace = (store.get_assertion(i.entity_id) for i in result)
    assert ada.recipient.plaintext_identity == "ada@example.org"
    assert ada.narrative == "Top marks" and ada.evidence[0].url == "https://example.org/p/ada"
    assert alan.narrative is None and alan.evidence == []
    assert [item.row for item in result] == ["s1", "s2", "s3"]


def test_rerunning_an_award_skips_holders_unless_allow_duplicate(store, badge):
    frame = learners()[["email"]]
    assert store.issue_batch(badge, frame).issued == 3
    again = store.issue_batch(badge, frame)
    assert (again.issued, again.duplicates) == (0, 3)
    assert store.issue_batch(badge, frame, allow_duplicate=True).issued == 3


def test_columns_maps_other_names_and_an_unmapped_table_says_what_is_missing(store, badge):
    frame = pd.DataFrame({"Mail": ["a@example.org"], "Why": ["Because"],
                          "Portfolio": ["https://example.org/a"]})
    with pytest.raises(laurel.ValidationError, match="no email") as missing:
        store.issue_batch(badge, frame)
    assert missing.value.field == "columns"
    result = store.issue_batch(badge, frame, columns={"Mail": "email", "Why": "narrative",
                                                      "Portfolio": "evidence_url"})
    assertion = store.get_assertion(result.entity_ids[0])
    assert assertion.narrative == "Because"
    assert assertion.evidence[0].url == "https://example.org/a"
    with pytest.raises(laurel.ValidationError, match="'Nope' is not a column"):
        store.issue_batch(badge, frame, columns={"Nope": "email"})
    with pytest.raises(laurel.ValidationError, match="'colour' is not a recipient column"):
        store.issue_batch(badge, frame, columns={"Mail": "colour"})


def test_identity_and_email_together_are_refused(store, badge):
    frame = pd.DataFrame({"email": ["a@example.org"], "identity": ["b@example.org"]})
    with pytest.raises(laurel.ValidationError, match="both give 'identity'"):
        store.issue_batch(badge, frame)


def test_dates_as_timestamps_datetimes_and_datetime64_columns(store, badge):
    frame = pd.DataFrame({
        "email": ["a@example.org", "b@example.org", "c@example.org"],
        "issued_on": pd.to_datetime(["2024-01-02 10:00", "2024-02-03 00:00", None]),
        "expires": [pd.Timestamp("2030-01-01", tz="Europe/Paris"),
                    dt.datetime(2031, 5, 6, 7, 8, 9), None],
    })
    result = store.issue_batch(badge, frame)
    a, b, c = (store.get_assertion(i.entity_id) for i in result)
    assert a.issued_on.startswith("2024-01-02T10:00:00")
    assert b.issued_on.startswith("2024-02-03T00:00:00")
    assert a.expires.startswith("2029-12-31T23:00:00")  # Paris midnight in UTC
    assert b.expires.startswith("2031-05-06T07:08:09")
    assert c.issued_on and not c.issued_on.startswith("2024")  # NaT: now
    single = store.issue(badge, "d@example.org", issued_on=pd.Timestamp("2024-03-04"))
    assert single.issued_on.startswith("2024-03-04")


def test_an_invalid_row_is_named_by_its_index_label_and_nothing_is_written(store, badge):
    frame = learners()
    frame.loc["s2", "email"] = "alan(at)example.org"
    with pytest.warns(laurel.IgnoredColumnsWarning):
        with pytest.raises(laurel.ValidationError) as refused:
            store.issue_batch(badge, frame)
    assert refused.value.field == "recipients['s2'].recipient.identity"
    assert refused.value.row == "s2"
    assert len(store.list_assertions(badgeclass=badge.entity_id)) == 0
    outcome = refused.value.results.to_dataframe()
    assert outcome.loc["s2", "status"] == "invalid"
    assert outcome.loc["s2", "field"] == "recipient.identity"


def test_a_cell_of_the_wrong_type_names_its_row_label(store, badge):
    frame = pd.DataFrame({"email": ["a@example.org", "b@example.org"],
                          "narrative": ["fine", 42]}, index=["first", "second"])
    with pytest.raises(TypeError, match=r"recipients\['second'\]\.narrative: expected str"):
        store.issue_batch(badge, frame)


def test_result_to_dataframe_lines_up_with_the_input(store, badge):
    frame = learners()[["email"]]
    frame.loc["s4"] = ["bad address"]
    result = store.issue_batch(badge, frame, skip_invalid=True)  # no warning: none ignored
    outcome = frame.join(result.to_dataframe())
    assert list(outcome["status"]) == ["issued", "issued", "issued", "invalid"]
    assert outcome.loc["s1", "entity_id"] == result.entity_ids[0]
    assert pd.isna(outcome.loc["s4", "entity_id"])


def test_pages_and_entities_convert_to_dataframes(store, badge):
    store.issue_batch(badge, ["a@example.org", "b@example.org"])
    page = store.list_assertions(badgeclass=badge.entity_id)
    table = pd.DataFrame(page)
    assert len(table) == 2 and {"entityId", "recipient", "issuedOn"} <= set(table.columns)
    flat = page.to_dataframe()
    assert set(flat["recipient.plaintextIdentity"]) == {"a@example.org", "b@example.org"}
    assert str(flat["issuedOn"].dtype).startswith("datetime64")
    assertion = page[0]
    assert assertion["entityId"] == assertion.entity_id
    copy = assertion["recipient"]
    copy["identity"] = "changed"
    assert assertion.recipient.identity != "changed"  # the entity stays a snapshot


def test_dicts_of_columns_and_row_dicts_use_the_same_vocabulary(store, badge):
    by_columns = store.issue_batch(badge, {"email": ["a@example.org", "b@example.org"],
                                           "narrative": ["x", None]})
    assert by_columns.issued == 2
    with pytest.warns(laurel.IgnoredColumnsWarning, match="'name'"):
        by_rows = store.issue_batch(badge, [
            {"email": "c@example.org", "name": "Cee", "evidence_url": "https://example.org/c"},
            "d@example.org",
        ])
    assert by_rows.issued == 2
    c = store.get_assertion(by_rows.entity_ids[0])
    assert c.evidence[0].url == "https://example.org/c"


def test_progress_true_draws_a_tqdm_bar(store, badge, capsys):
    result = store.issue_batch(badge, [f"p{n}@example.org" for n in range(2000)], progress=True)
    assert result.issued == 2000
    err = capsys.readouterr().err
    assert "Awarding" in err and "2.00k/2.00k" in err

