"""Course helpers answer plausible student slips in words, not with a raw Python error, and give
the same answers as before for valid input."""

import pytest

from k8slearn import Cluster
from k8slearn.course import check_manifest, glossary_table, pod_flow
from k8slearn.sim import Step

POD_YAML = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
TRACE = [Step(0.003, "kubectl", "create", "pod/default/web"),
         Step(0.004, "kube-scheduler", "schedule", "pod/default/web", "picked node-1")]


# -- pod_flow.who_did ---------------------------------------------------------------------------

WHO_DID = [
    ("a known task is answered from the trace", "decide which node runs the pod", "kube-scheduler"),
    ("a known task nobody did in the trace is None", "pull the nginx image", None),
]


@pytest.mark.parametrize("task, expected", [c[1:] for c in WHO_DID], ids=[c[0] for c in WHO_DID])
def test_who_did_answers_a_known_task(task, expected):
    assert pod_flow.who_did(TRACE, task) == expected


@pytest.mark.parametrize("task", ["choose the node", "Decide which node runs the pod", ""])
def test_who_did_of_an_unknown_task_names_it_and_lists_every_task(task):
    with pytest.raises(KeyError) as info:
        pod_flow.who_did(TRACE, task)
    message = info.value.args[0]
    known = ", ".join(f"“{t}”" for t in pod_flow.TASKS)
    assert message == f"no task named “{task}”; the tasks are: {known}"
    assert "“give each node its podCIDR”" in message  # the last of the twelve


# -- glossary_table -----------------------------------------------------------------------------

GLOSSARY_CALLS = [
    ("a single string is one term", "pod", ["pod"]),
    ("a list of one term", ["pod"], ["pod"]),
    ("a tuple keeps its order", ("taint", "pod"), ["taint", "pod"]),
]


@pytest.mark.parametrize("terms, rows", [c[1:] for c in GLOSSARY_CALLS], ids=[c[0] for c in GLOSSARY_CALLS])
def test_glossary_table_rows_follow_the_terms_given(terms, rows):
    lines = glossary_table(terms).splitlines()
    assert lines[:2] == ["| English | 한국어 | Definition |", "|---|---|---|"]
    assert [line.split(" | ")[0][2:] for line in lines[2:]] == rows


def test_glossary_table_of_one_string_is_the_pod_row():
    assert glossary_table("pod").splitlines()[2] == (
        "| pod | 파드 | The smallest unit Kubernetes schedules: one or more containers on one node sharing a "
        "network namespace (one IP, localhost) and volumes. |")


def test_an_unknown_single_term_is_named_whole_not_letter_by_letter():
    with pytest.raises(KeyError) as info:
        glossary_table("pods")
    assert info.value.args[0] == "not in the glossary: pods"


# -- check_manifest -----------------------------------------------------------------------------

MANIFEST_CALLS = [
    ("None expects nothing but an object", POD_YAML, None, "✔ 0/0 checks pass (Pod)"),
    ("an empty dict expects nothing but an object", POD_YAML, {}, "✔ 0/0 checks pass (Pod)"),
    ("None on an empty document still says there is no object", "", None,
     ("✘ 0/1 checks pass · 1 fails (manifest)\n✘ the YAML contains an object\n    expected: 'an object'\n"
      "    got:      'documents of kinds []'")),
    ("a real expectation is unchanged", POD_YAML, {"metadata.name": "b"},
     "✘ 0/1 checks pass · 1 fails (Pod)\n✘ metadata.name is 'b'\n    expected: 'b'\n    got:      'a'"),
]


@pytest.mark.parametrize("yaml_text, expect, text", [c[1:] for c in MANIFEST_CALLS],
                         ids=[c[0] for c in MANIFEST_CALLS])
def test_check_manifest_result(yaml_text, expect, text):
    assert str(check_manifest(yaml_text, expect, server=False)) == text


def test_check_manifest_with_none_and_a_kind_picks_that_document():
    result = check_manifest(POD_YAML + "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n", None,
                            kind="Service", server=False)
    assert (bool(result), result.title) == (True, "Service")


# -- the scheduler inspector with a pod that does not exist ----------------------------------------


def test_the_scheduler_panel_for_a_missing_pod_builds_and_shows_the_error_instead_of_raising():
    pytest.importorskip("ipywidgets")
    from k8slearn.viz.scheduler_view import SchedulerView

    view = SchedulerView(Cluster(workers=1, seed=0), "nope")
    view.widget()  # was: TraitError "Invalid selection: value not found" from the pod chooser
    chooser = view.widget().children[0].children[0].children[1]
    assert chooser.options[-1] == ("nope (not found)", "nope") and chooser.value == "nope"
    assert "not found" in view._decision.value


@pytest.mark.parametrize("given, got", [
    pytest.param(None, "None; the manifest must be YAML text (a str)",
                 id="None is named and the manifest asked for as YAML text"),
    pytest.param({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}},
                 "a dict; the manifest must be YAML text (a str), not the object loaded from it",
                 id="a manifest already loaded into a dict is asked for as its YAML text"),
    pytest.param(3, "an int; the manifest must be YAML text (a str)", id="a number is named an int"),
])
def test_check_manifest_of_something_else_than_yaml_text_says_so_in_words(given, got):
    assert str(check_manifest(given, {"kind": "Pod"})) == (
        "✘ 0/1 checks pass · 1 fails (manifest)\n✘ kubectl can read the manifest\n"
        f"    expected: 'a manifest'\n    got:      {got}")
