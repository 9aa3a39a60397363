"""HumanDuration, Go's tabwriter, go-yaml output and manifest reading, checked against upstream."""

import json
import os

import pytest

from k8slearn.kubectl.humanize import human_duration, rfc1123z, short_human_duration
from k8slearn.kubectl.manifests import ManifestError, load_manifests
from k8slearn.kubectl.output import to_json, to_yaml
from k8slearn.kubectl.tabwriter import render

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "kubectl")
MS, S, M, H = 1e-3, 1, 60, 3600
D, Y = 24 * H, 365 * 24 * H

# apimachinery/pkg/util/duration/duration_test.go: TestHumanDuration and TestHumanDurationBoundaries
HUMAN_DURATION = [
    (1, "1s"), (70, "70s"), (190, "3m10s"), (70 * M, "70m"), (47 * H, "47h"), (49 * H, "2d1h"),
    ((8 * 24 + 2) * H, "8d"), (367 * D, "367d"), ((365 * 2 * 24 + 25) * H, "2y1d"), ((365 * 8 * 24 + 2) * H, "8y"),
    (-2, "<invalid>"), (-2 + 1e-9, "0s"), (0, "0s"), (1 - MS, "0s"), (2 * M - MS, "119s"), (2 * M, "2m"),
    (2 * M + 1, "2m1s"), (10 * M - MS, "9m59s"), (10 * M, "10m"), (10 * M + 1, "10m"), (3 * H - MS, "179m"),
    (3 * H, "3h"), (3 * H + M, "3h1m"), (8 * H - MS, "7h59m"), (8 * H, "8h"), (8 * H + 59 * M, "8h"),
    (2 * D - MS, "47h"), (2 * D, "2d"), (2 * D + H, "2d1h"), (8 * D - MS, "7d23h"), (8 * D, "8d"),
    (8 * D + 23 * H, "8d"), (2 * Y - MS, "729d"), (2 * Y, "2y"), (2 * Y + 23 * H, "2y"),
    (2 * Y + 23 * H + 59 * M, "2y"), (2 * Y + D - MS, "2y"), (2 * Y + D, "2y1d"), (3 * Y, "3y"), (4 * Y, "4y"),
    (5 * Y, "5y"), (6 * Y, "6y"), (7 * Y, "7y"), (8 * Y - MS, "7y364d"), (8 * Y, "8y"), (8 * Y + 364 * D, "8y"),
    (9 * Y, "9y"),
]


@pytest.mark.parametrize("seconds,expected", HUMAN_DURATION,
                         ids=[f"an age of {s!r} seconds prints as {e}" for s, e in HUMAN_DURATION])
def test_human_duration_matches_upstream_table(seconds, expected):
    assert human_duration(seconds) == expected


SHORT = [(-2, "<invalid>"), (0, "0s"), (1, "1s"), (M - MS, "59s"), (M, "1m"), (H - MS, "59m"), (H, "1h"),
         (D - MS, "23h"), (D, "1d"), (Y - MS, "364d"), (Y, "1y"), (2 * Y, "2y")]


@pytest.mark.parametrize("seconds,expected", SHORT, ids=[f"a short age of {s!r}s is {e}" for s, e in SHORT])
def test_short_human_duration_matches_upstream_table(seconds, expected):
    assert short_human_duration(seconds) == expected


def test_describe_times_are_rfc1123z_in_utc():
    assert rfc1123z("2026-01-05T09:00:07Z") == "Mon, 05 Jan 2026 09:00:07 +0000"


TABWRITER = [
    ("cells are padded to the widest cell plus three, at least six wide",
     "NAME\tREADY\nweb-1\t1/1\n", 6, 3, "NAME    READY\nweb-1   1/1\n"),
    ("the last cell of a line is never padded", "a\tbb\nccc\td\n", 0, 2, "a    bb\nccc  d\n"),
    ("a line without tabs ends the column block",
     "Name:\tx\nContainers:\n  nginx:\n    Image:\tnginx\n", 0, 2,
     "Name:  x\nContainers:\n  nginx:\n    Image:  nginx\n"),
    ("empty cells still take the column width", "A\t\tB\nlong\t\tc\n", 0, 2, "A       B\nlong    c\n"),
]


@pytest.mark.parametrize("text,minwidth,padding,expected", [c[1:] for c in TABWRITER], ids=[c[0] for c in TABWRITER])
def test_tabwriter_aligns_like_go(text, minwidth, padding, expected):
    assert render(text, minwidth=minwidth, padding=padding) == expected


def test_yaml_output_matches_real_kubectl_for_tricky_strings():
    # the -o json and -o yaml output of one `kubectl create configmap --dry-run=client` with tricky values
    obj = json.load(open(os.path.join(FIXTURES, "yaml-quoting.json"), encoding="utf-8"))
    expected = open(os.path.join(FIXTURES, "yaml-quoting.yaml"), encoding="utf-8").read()
    assert to_yaml(obj) == expected


def test_json_output_sorts_keys_indents_four_and_escapes_html():
    assert to_json({"b": "<a&b>", "a": [], "c": {}}) == '{\n    "a": [],\n    "b": "\\u003ca\\u0026b\\u003e",\n    "c": {}\n}\n'


# (sentence, manifest, kubectl's message, true line, true column) -- messages from kubectl v1.32 itself
YAML_ERRORS = [
    ("a colon inside a plain value names line 5", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context",
     5, 12),
    ("an unclosed quote runs to the end of the stream", 'a: "abc\n',
     "error parsing STDIN: error converting YAML to JSON: yaml: line 2: found unexpected end of stream", 2, 1),
    ("parser errors are reported one line early, as yaml.v2 does", "a: b\n- c\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected key", 2, 1),
    ("a bad indent inside a mapping", "a:\n  b: 1\n c: 2\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 2: did not find expected key", 3, 2),
    ("an unclosed flow mapping", "a: {b: 1\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected ',' or '}'", 2, 1),
    ("an unknown alias has no line", "a: *x\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: unknown anchor 'x' referenced", 1, 4),
    ("a list where a mapping continues", "- a\nb: c\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 1: did not find expected '-' indicator", 2, 1),
    ("a tab that starts a token", "a:\n\t- b\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 2: found character that cannot start any token",
     2, 1),
    ("a tab that indents a plain scalar's continuation", "a: b\n\tc: d\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 2: found a tab character that violates "
     "indentation", 2, 1),
    ("an error on the first line has no line number", "a: b: c\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: mapping values are not allowed in this context", 1, 5),
    ("a key without a colon", "a: b\nc\nd: e\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 3: could not find expected ':'", 3, 1),
    ("a bad document separator", "a: b\n--- x\n", "error parsing STDIN: invalid Yaml document separator: x",
     None, None),
    ("JSON input gets encoding/json's message", '{"a": 1,}\n',
     "error parsing STDIN: json: offset 9: invalid character '}' looking for beginning of object key string", 1, 9),
    ("a trailing comma is reported at the token after it, whatever Python's json says",
     '{"a": [1, ],\n "b": 2 , \n}\n',
     "error parsing STDIN: json: offset 11: invalid character ']' looking for beginning of value", 1, 11),
    ("a document without kind or apiVersion", "a: b\n",
     'error validating "STDIN": error validating data: [apiVersion not set, kind not set]; if you choose to ignore '
     "these errors, turn validation off with --validate=false", None, None),
    ("a document that is not an object", "[1,2]\n",
     'error validating "STDIN": error validating data: invalid object to validate; if you choose to ignore these '
     "errors, turn validation off with --validate=false", None, None),
    ("line numbers count from the start of the document",
     "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"
     "  labels: a: b\n",
     "error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context",
     10, 12),
]


@pytest.mark.parametrize("text,message,line,column", [c[1:] for c in YAML_ERRORS], ids=[c[0] for c in YAML_ERRORS])
def test_malformed_manifest_gets_kubectls_message_and_true_position(text, message, line, column):
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert (info.value.message, info.value.line, info.value.column) == (message, line, column)
    if line is not None:  # the Python exception names the line and the column for the student
        assert str(info.value).endswith(f"(line {line}, column {column})")


def test_a_file_source_names_the_file():
    with pytest.raises(ManifestError) as info:
        load_manifests("a: b: c\n", source="pod.yaml")
    assert str(info.value).startswith("error parsing pod.yaml: ")


LOADS = [
    ("empty documents and comments are skipped", "---\n# nothing\n---\napiVersion: v1\nkind: Namespace\n"
     "metadata:\n  name: a\n---\n", ["a"]),
    ("a List is flattened into its items", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n"
     "  metadata:\n    name: q\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: r\n", ["q", "r"]),
    ("a JSON stream of objects", '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "j"}}\n', ["j"]),
]


@pytest.mark.parametrize("text,names", [c[1:] for c in LOADS], ids=[c[0] for c in LOADS])
def test_load_manifests_returns_every_object(text, names):
    assert [o["metadata"]["name"] for o in load_manifests(text)] == names


def test_values_convert_as_yaml_to_json_does():
    obj = load_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  when: 2024-01-01\n"
                         "  ratio: 1.0\n")[0]
    assert obj["data"] == {"when": "2024-01-01", "ratio": 1}
