"""The case tables are right: each one passes against the package's own implementation.

The same tables are what students' functions are checked against in the notebooks, so a wrong
expected value here would teach something false.
"""

import importlib.util
import json

import pytest
import yaml

from k8slearn.course.cases import TABLES, Case, CaseTable, get_table, same
from k8slearn.course.checks import check


def cases_of(name):
    table = get_table(name)
    return pytest.mark.parametrize("case", table.cases, ids=table.ids())


def module_or_skip(name, reason):
    """Import a module of the package that another helper is still writing, or skip."""
    if importlib.util.find_spec(name) is None:
        pytest.skip(reason)
    return importlib.import_module(name)


# -- labels.selector_matches -------------------------------------------------------------------


@cases_of("labels.selector_matches")
def test_selector_case_agrees_with_apimachinery_parse_and_match(case):
    from k8slearn.api.selector_parser import parse_selector

    selector, labels = case.args
    assert parse_selector(selector).matches(labels) is case.expected


# -- yaml_to_json -------------------------------------------------------------------------------


@cases_of("yaml_to_json")
def test_yaml_case_agrees_with_kubectls_manifest_reader(case):
    from k8slearn.kubectl.manifests import load_manifests

    (text,) = case.args
    docs = load_manifests(text)
    assert len(docs) == 1
    assert same(case.expected, docs[0])


@cases_of("yaml_to_json")
def test_yaml_case_agrees_with_safe_load_and_a_json_round_trip(case):
    (text,) = case.args
    assert same(case.expected, json.loads(json.dumps(yaml.safe_load(text))))


def test_a_yaml_to_json_that_returns_the_yaml_text_is_shown_what_it_returned_not_an_exception():
    from k8slearn.course import check

    result = check(lambda text: text, "yaml_to_json")
    assert not result.passed and all(o.error is None and isinstance(o.got, str) for o in result.failures)


# -- etcd.key_for -------------------------------------------------------------------------------


@cases_of("etcd.key_for")
def test_etcd_key_case_agrees_with_the_resource_table(case):
    from k8slearn.api.resources import RESOURCES, lookup

    kind, namespace, name = case.args
    info = lookup(kind)
    assert info.kind == kind
    assert RESOURCES[info.plural].key(namespace, name) == case.expected


# -- pod_status.display_status ------------------------------------------------------------------


@cases_of("pod_status.display_status")
def test_pod_status_case_agrees_with_kubectls_printer(case):
    printers = module_or_skip("k8slearn.kubectl.printers", "k8slearn/kubectl/printers.py is not written yet")
    assert printers.pod_status(*case.args) == case.expected


# -- age.human_duration -------------------------------------------------------------------------


@cases_of("age.human_duration")
def test_age_case_agrees_with_apimachinery_human_duration(case):
    humanize = module_or_skip("k8slearn.kubectl.humanize", "k8slearn/kubectl/humanize.py is not written yet")
    assert humanize.human_duration(*case.args) == case.expected


# -- the tables themselves ----------------------------------------------------------------------

def real_selector_matches(selector, labels):
    from k8slearn.api.selector_parser import parse_selector

    return parse_selector(selector).matches(labels)


def real_key_for(kind, namespace, name):
    from k8slearn.api.resources import lookup

    return lookup(kind).key(namespace, name)


def real_human_duration(seconds):
    from k8slearn.kubectl.humanize import human_duration

    return human_duration(seconds)


def real_display_status(pod):
    from k8slearn.kubectl.printers import pod_status

    return pod_status(pod)


def real_yaml_to_json(text):
    from k8slearn.kubectl.manifests import load_manifests

    return load_manifests(text)[0]


REAL = {
    "labels.selector_matches": real_selector_matches,
    "etcd.key_for": real_key_for,
    "age.human_duration": real_human_duration,
    "yaml_to_json": real_yaml_to_json,
    "pod_status.display_status": real_display_status,
}


@pytest.mark.parametrize("name", list(REAL),
                         ids=[f"check passes all of {n} for the real code" for n in REAL])
def test_check_passes_every_case_for_the_real_implementation(name):
    result = check(REAL[name], name)
    assert result.ok, repr(result)
    size = len(TABLES[name])
    assert repr(result) == f"✔ {size}/{size} cases pass ({name})"


MINIMUM = {
    "labels.selector_matches": 10,
    "yaml_to_json": 4,
    "etcd.key_for": 4,
    "pod_status.display_status": 6,
    "age.human_duration": 15,
}


@pytest.mark.parametrize("name", list(MINIMUM), ids=[f"the {n} table has enough cases" for n in MINIMUM])
def test_the_first_chapters_tables_exist_with_enough_cases(name):
    assert len(TABLES[name]) >= MINIMUM[name]


@pytest.mark.parametrize("name", list(TABLES), ids=[f"every id of {n} is a sentence" for n in TABLES])
def test_every_case_id_is_a_lowercase_sentence_without_a_full_stop(name):
    for case in TABLES[name]:
        assert case.id[0].islower(), case.id
        assert len(case.id.split()) >= 4 and not case.id.endswith("."), case.id


def test_a_table_refuses_two_cases_with_the_same_id():
    with pytest.raises(ValueError, match="two cases named 'same'"):
        CaseTable("t", "d", [Case("same", (1,), 1), Case("same", (2,), 2)])


def test_an_unknown_table_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="labels.selector_matches"):
        get_table("labels.selector_match")


def test_a_table_shows_its_cases_as_calls_with_expected_values():
    text = str(TABLES["etcd.key_for"])
    assert text.splitlines()[0] == "key_for(kind: str, namespace: str | None, name: str) -> str: 10 cases"
    line = (
        "  a node is stored under its historical name minions:"
        " key_for('Node', None, 'node-1') == '/registry/minions/node-1'"
    )
    assert line in text
    html = TABLES["etcd.key_for"]._repr_html_()
    assert "<code>key_for(&#x27;Node&#x27;, None, &#x27;node-1&#x27;)</code>" in html
