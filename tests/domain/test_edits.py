"""Two desks on one record, field by field (clinic.core.edits): a field one desk
changed is written, a field it did not touch keeps the other desk's value, and
two different changes of one field are a clash the user settles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clinic.core.edits import Clash, merge_fields, resolve, same_value

FIELDS = ("sbp", "dbp", "glucose", "pulse", "complaint", "conditions")


def test_the_glucose_of_desk_b_survives_desk_a_typing_the_pulse():
    base = {"sbp": 150, "dbp": 95, "glucose": None, "pulse": None}
    theirs = {**base, "glucose": 6.2}  # desk B saved the glucose meanwhile
    mine = {**base, "pulse": 72}  # desk A typed the pulse on the old form
    merge = merge_fields(base, mine, theirs, FIELDS)
    assert merge.clean and merge.changes == {"pulse": 72}  # the glucose is not written over


def test_one_field_changed_differently_on_two_desks_is_a_clash_until_chosen():
    base = {"sbp": 150, "complaint": "头晕"}
    merge = merge_fields(
        base, {**base, "sbp": 148}, {**base, "sbp": 152, "complaint": "头晕两周"}, FIELDS
    )
    assert merge.changes == {} and merge.clashes == (Clash("sbp", 150, 148, 152),)
    assert resolve(merge, keep_mine=[]) == {}
    assert resolve(merge, keep_mine=["sbp"]) == {"sbp": 148}


def test_the_same_change_on_both_desks_and_empty_text_are_no_clash():
    base = {"complaint": None, "conditions": ["hypertension"]}
    mine = {"complaint": "咳嗽 ", "conditions": ["diabetes", "hypertension"]}
    theirs = {"complaint": "咳嗽", "conditions": ("hypertension", "diabetes")}
    merge = merge_fields(base, mine, theirs, FIELDS)
    assert merge.clean
    assert (
        merge_fields({"complaint": ""}, {"complaint": None}, {"complaint": "x"}, FIELDS).changes
        == {}
    )


values = st.one_of(st.none(), st.integers(0, 300), st.sampled_from(["", "a", "b"]))
records = st.fixed_dictionaries({f: values for f in FIELDS[:5]})


@given(records, records, records)
def test_nothing_typed_is_lost_and_nothing_of_the_other_desk_is_overwritten(base, mine, theirs):
    merge = merge_fields(base, mine, theirs, FIELDS)
    saved = {**theirs, **merge.changes}
    clashed = {c.field for c in merge.clashes}
    for field in FIELDS[:5]:
        typed_here = not same_value(mine[field], base[field])
        if not typed_here:  # untouched here: the other desk's value stays as it is
            assert field not in merge.changes and saved[field] == theirs[field]
        elif field not in clashed:  # typed here, no clash: what was typed is saved
            assert same_value(saved[field], mine[field])
        else:  # both changed it, differently: asked, and either choice is possible
            assert not same_value(theirs[field], mine[field]) and not same_value(
                theirs[field], base[field]
            )
            assert resolve(merge, [field])[field] == mine[field]
