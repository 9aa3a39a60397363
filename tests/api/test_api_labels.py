"""Label selectors: the string grammar, matching, canonical strings, parse errors and LabelSelector dicts."""

import pytest

from k8slearn.api.labels import (
    Selector, SelectorParseError, selector_from_label_selector, validate_label_key, validate_label_value,
)
from k8slearn.api.selector_parser import parse_selector

WEB = {"app": "web", "tier": "db"}
MATCHING = [
    ("app=web", WEB, True, "an equality requirement matches the same value"),
    ("app==web", WEB, True, "a double-equals requirement matches the same value"),
    ("app!=web", WEB, False, "an inequality requirement rejects the same value"),
    ("app!=web", {}, True, "an inequality requirement matches a missing label"),
    ("tier in (db,cache)", WEB, True, "a set requirement matches a listed value"),
    ("tier notin (db)", WEB, False, "a notin requirement rejects a listed value"),
    ("tier notin (db)", {"app": "web"}, True, "a notin requirement matches a missing label"),
    ("app", WEB, True, "a bare key requires the label to exist"),
    ("!canary", WEB, True, "a negated key requires the label to be absent"),
    ("!app", WEB, False, "a negated key rejects a present label"),
    ("app=web,tier=cache", WEB, False, "all requirements must hold"),
    ("", WEB, True, "an empty selector matches everything"),
    ("replicas>2", {"replicas": "3"}, True, "gt compares integers"),
    ("replicas<2", {"replicas": "x"}, False, "lt does not match a non-integer label"),
]


@pytest.mark.parametrize("text,labels,expected", [m[:3] for m in MATCHING], ids=[m[3] for m in MATCHING])
def test_a_selector_matches_labels_like_apimachinery(text, labels, expected):
    assert parse_selector(text).matches(labels) is expected


def test_matching_none_labels_is_matching_no_labels():
    assert parse_selector("!app").matches(None) and not parse_selector("app").matches(None)


CANONICAL = [
    ("tier in (db,cache), app=web, !canary", "app=web,!canary,tier in (cache,db)",
     "requirements sort by key and values sort"),
    ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()",
     "empty values survive in set requirements"),
    ("a==b", "a==b", "double equals is kept"),
    ("in in (in)", "in in (in)", "in is an ordinary word in key and value positions"),
    ("a>3", "a>3", "gt prints as a greater-than sign"),
]


@pytest.mark.parametrize("text,expected", [c[:2] for c in CANONICAL], ids=[c[2] for c in CANONICAL])
def test_a_selector_prints_its_canonical_form(text, expected):
    assert str(parse_selector(text)) == expected


NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
ERRORS = [
    ("app:web", f'unable to parse requirement: <nil>: Invalid value: "app:web": {NAME_PART}',
     "a colon instead of an equals sign is an invalid key"),
    ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
     "two words without an operator expect an operator"),
    ("a=b=c", "found '=', expected: ',' or 'end of string'", "a second equals sign is unexpected"),
    ("a in b", "unable to parse requirement: found 'b' expected: '('",
     "a set without parentheses is rejected"),
    ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'", "an unclosed set is rejected"),
    ("a,", "found '', expected: identifier after ','", "a trailing comma is rejected"),
    ("=a", "found '=', expected: !, identifier, or 'end of string'", "a leading operator is rejected"),
    ("a<x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, "
            "the value must be an integer", "lt needs an integer value"),
]


@pytest.mark.parametrize("text,message", [e[:2] for e in ERRORS], ids=[e[2] for e in ERRORS])
def test_a_bad_selector_gets_apimachinerys_parse_error(text, message):
    with pytest.raises(SelectorParseError) as err:
        parse_selector(text)
    assert str(err.value) == message


def test_a_bad_label_value_names_the_value_path():
    with pytest.raises(ValueError) as err:
        parse_selector("app=@x")
    assert str(err.value).startswith('unable to parse requirement: values[0][app]: Invalid value: "@x": a valid label')


LABEL_SELECTORS = [
    (None, {"app": "web"}, False, "a missing selector selects nothing"),
    ({}, {"app": "web"}, True, "an empty selector selects everything"),
    ({"matchLabels": {"app": "web"}}, {"app": "web", "x": "y"}, True, "matchLabels matches a superset"),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]}, WEB, True, "In matches"),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}, WEB, False,
     "NotIn rejects"),
    ({"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]}, WEB, True,
     "DoesNotExist matches absence"),
    ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, WEB, True, "Exists matches presence"),
]


@pytest.mark.parametrize("ls,labels,expected", [c[:3] for c in LABEL_SELECTORS],
                         ids=[c[3] for c in LABEL_SELECTORS])
def test_a_label_selector_dict_becomes_a_selector(ls, labels, expected):
    assert selector_from_label_selector(ls).matches(labels) is expected


def test_an_unknown_operator_is_not_a_valid_label_selector_operator():
    with pytest.raises(ValueError) as err:
        selector_from_label_selector({"matchExpressions": [{"key": "a", "operator": "Foo"}]})
    assert str(err.value) == '"Foo" is not a valid label selector operator'


def test_a_label_selector_prints_sorted_requirements():
    ls = {"matchLabels": {"tier": "db", "app": "web"},
          "matchExpressions": [{"key": "env", "operator": "In", "values": ["b", "a"]}]}
    assert str(selector_from_label_selector(ls)) == "app=web,env in (a,b),tier=db"


def test_requires_exact_match_finds_an_equality_value():
    assert parse_selector("app=web,tier in (db)").requires_exact_match("tier") == "db"
    assert Selector.nothing().empty() is False and Selector.everything().empty() is True


KEYS = [
    ("app", [], "a plain key is valid"),
    ("example.com/app", [], "a prefixed key is valid"),
    ("app:web", [NAME_PART], "a colon in a key is invalid"),
]


@pytest.mark.parametrize("key,expected", [k[:2] for k in KEYS], ids=[k[2] for k in KEYS])
def test_validate_label_key(key, expected):
    assert validate_label_key(key) == expected


def test_validate_label_value_rejects_spaces_and_long_values():
    assert validate_label_value("a b")[0].startswith("a valid label must be an empty string")
    assert validate_label_value("a" * 64) == ["must be no more than 63 characters"]
