"""kubectl's JSONPath as client-go v1.32 runs it: escaped dots, booleans, ``@``/``$``, slices and
the errors kubectl prints for them.

The expected values come from upstream: client-go's util/jsonpath/jsonpath_test.go (the
``NODES`` document and its cases are copied from TestKubernetes, the ``TYPES`` ones from
TestTypesInput/TestStructInput) and kubectl's own error output, e.g. for an empty list::

    error: error executing jsonpath "{.items[0].metadata.name}": Error executing template: array index
    out of bounds: index 0, length 0. Printing more information for debugging the template: ...
"""

import json

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.jsonpath import JSONPathError, JSONPathExecutionError, evaluate, jsonpath


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create configmap cfg --from-literal=ca.crt=PEM --from-literal=plain=x")
    c.kubectl("run p --image=nginx")
    c.settle()
    return c


# --- through Cluster.kubectl ---------------------------------------------------------------------

KUBECTL_CASES = [
    ("a backslash escapes the dot inside a key",
     "get cm cfg -o jsonpath='{.data.ca\\.crt}'", "PEM"),
    ("a filter compares a boolean field with true",
     "get pods -o jsonpath='{.items[*].status.containerStatuses[?(@.ready==true)].name}'", "p"),
    ("a filter with false skips the ready containers",
     "get pods -o jsonpath='{.items[*].status.containerStatuses[?(@.ready==false)].name}'", ""),
    ("a filter compares a string field with a quoted string",
     """get pod p -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'""", "True"),
    ("an @ at the start of a path is the current object",
     "get pod p -o jsonpath='{@.metadata.name}'", "p"),
    ("a $ at the start of a path is the root object",
     "get pod p -o jsonpath='{$.metadata.name}'", "p"),
    ("a negative index counts from the end",
     "get pods -o jsonpath='{.items[-1].metadata.name}'", "p"),
    ("an open slice from -1 takes the last item",
     "get pods -o jsonpath='{.items[-1:].metadata.name}'", "p"),
    ("a wildcard on a map gives its values in key order",
     "get cm cfg -o jsonpath='{.data.*}'", "PEM x"),
    ("a missing key still prints nothing",
     "get pod p -o jsonpath='{.metadata.nothing}'", ""),
    ("a range with an escaped key prints one line per item",
     """get cm cfg -o jsonpath='{range @}{.data.ca\\.crt}{"\\n"}{end}'""", "PEM\n"),
]


@pytest.mark.parametrize("command,stdout", [c[1:] for c in KUBECTL_CASES], ids=[c[0] for c in KUBECTL_CASES])
def test_kubectl_jsonpath_prints(cluster, command, stdout):
    result = cluster.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, "", 0)


def test_a_lone_at_sign_prints_the_whole_object_as_compact_json(cluster):
    whole = json.loads(cluster.kubectl("get cm cfg -o json").stdout)
    result = cluster.kubectl("get cm cfg -o jsonpath='{@}'")
    assert result.stdout == json.dumps(whole, separators=(",", ":"), sort_keys=True)
    assert (result.stderr, result.code) == ("", 0)


EMPTY_LIST = ('map[string]interface {}{"apiVersion":"v1", "items":[]interface {}{}, "kind":"List", '
              '"metadata":map[string]interface {}{"resourceVersion":""}}')

KUBECTL_ERRORS = [
    # kubectl v1.x on an empty list, as users have pasted it
    ("an index into an empty list is out of bounds",
     "get pods -l app=none -o jsonpath='{.items[0].metadata.name}'",
     ('error: error executing jsonpath "{.items[0].metadata.name}": Error executing template: '
      "array index out of bounds: index 0, length 0. Printing more information for debugging the template:\n"
      "\ttemplate was:\n\t\t{.items[0].metadata.name}\n"
      f"\tobject given to jsonpath engine was:\n\t\t{EMPTY_LIST}\n\n\n")),
    ("a slice from -1 of an empty list is out of bounds",
     "get pods -l app=none -o jsonpath='{.items[-1:].metadata.name}'",
     ('error: error executing jsonpath "{.items[-1:].metadata.name}": Error executing template: '
      "array index out of bounds: index -1, length 0. Printing more information for debugging the template:\n"
      "\ttemplate was:\n\t\t{.items[-1:].metadata.name}\n"
      f"\tobject given to jsonpath engine was:\n\t\t{EMPTY_LIST}\n\n\n")),
    ("an unknown character is a parse error naming the rune",
     "get pods -o jsonpath='{.a || .b}'",
     "error: error parsing jsonpath {.a || .b}, unrecognized character in action: U+007C '|'\n"),
    ("an unterminated filter is a parse error",
     "get pods -o jsonpath='{.items[?(@.a==1}'",
     "error: error parsing jsonpath {.items[?(@.a==1}, unterminated filter\n"),
]


@pytest.mark.parametrize("command,stderr", [c[1:] for c in KUBECTL_ERRORS], ids=[c[0] for c in KUBECTL_ERRORS])
def test_kubectl_jsonpath_errors(cluster, command, stderr):
    result = cluster.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)


def test_an_index_past_the_end_fails_with_the_template_and_the_object(cluster):
    result = cluster.kubectl("get pods -o jsonpath='{.items[3].metadata.name}'")
    lines = result.stderr.split("\n")
    assert lines[:4] == [
        ('error: error executing jsonpath "{.items[3].metadata.name}": Error executing template: array index out of '
         "bounds: index 3, length 1. Printing more information for debugging the template:"),
        "\ttemplate was:", "\t\t{.items[3].metadata.name}", "\tobject given to jsonpath engine was:"]
    assert lines[4].startswith('\t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{'
                               'map[string]interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":')
    assert '"name":"p", "namespace":"default"' in lines[4]
    assert lines[4].endswith('"kind":"List", "metadata":map[string]interface {}{"resourceVersion":""}}')
    assert lines[5:] == ["", "", ""]
    assert (result.stdout, result.code) == ("", 1)


# --- directly: jsonpath() and evaluate() ---------------------------------------------------------

NODES = {
    "kind": "List",
    "items": [
        {"kind": "None",
         "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
         "status": {"capacity": {"cpu": "4"}, "ready": True,
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
        {"kind": "None",
         "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
         "status": {"capacity": {"cpu": "8"}, "ready": False,
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                  {"type": "another", "address": "127.0.0.3"}]}},
    ],
    "users": [{"name": "myself", "user": {}}, {"name": "e2e", "user": {"username": "admin", "password": "secret"}}],
}

TYPES = {
    "bools": [True, False, True, False],
    "integers": [1, 2, 3, 4],
    "strings": ["one", "two", "three", "four"],
    "maps": [{"name": "one", "value": 1}, {"name": "two", "value": 2}, {"name": "three", "value": 3},
             {"name": "four", "value": 4}],
    "points": [{"id": "i1", "x": 4}, {"id": "i2", "x": -2, "z": 1}, {"id": "i3", "x": 8},
               {"id": "i5", "x": 0, "z": 1}],
}

TEMPLATE_CASES = [
    ("a range joins with its own text and what follows it",
     "{range .items[*]}{.metadata.name}, {end}{.kind}", NODES, "127.0.0.1, 127.0.0.2, List"),
    ("a range with a quoted tab", '{range .items[*]}{.metadata.name}{"\\t"}{end}', NODES, "127.0.0.1\t127.0.0.2\t"),
    ("a double range", "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", NODES,
     "127.0.0.1, 127.0.0.2, 127.0.0.3, "),
    ("a union of two quoted paths", "{.items[*]['metadata.name', 'status.capacity']}", NODES,
     '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'),
    ("a filter on a string", '{.users[?(@.name=="e2e")].user.password}', NODES, "secret"),
    ("an escaped dot in a label key", "{.items[0].metadata.labels.kubernetes\\.io/hostname}", NODES, "127.0.0.1"),
    ("an escaped dot inside a filter", '{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}',
     NODES, "None"),
    ("a recursive path compared with true", "{.items[?(@..ready==true)].metadata.name}", NODES, "127.0.0.1"),
    ("a comparison with false", "{.items[?(@.status.ready==false)].metadata.name}", NODES, "127.0.0.2"),
    ("true is not the string true", "{.items[?(@.kind==true)].metadata.name}", NODES, ""),
    ("!= between different kinds is true", "{.items[?(@.kind!=true)].metadata.name}", NODES, "127.0.0.1 127.0.0.2"),
    ("a quoted key in brackets is re-read as a dotted path", "{.items[0].metadata.labels['kubernetes.io/hostname']}",
     NODES, ""),
    ("an @ alone prints the current object", "{range .items[*].status.capacity}{@} {end}", NODES,
     '{"cpu":"4"} {"cpu":"8"} '),
    ("a $ prefix is the root", "{$.kind}", NODES, "List"),
    ("the last bool", "{ .bools[-1] }", TYPES, "false"),
    ("a slice with a step", "{ .integers[:4:2] }", TYPES, "1 3"),
    ("a slice from 1 with a step", "{ .maps[1::2].name }", TYPES, "two four"),
    ("a slice of the first two", "{ .strings[:2] }", TYPES, "one two"),
    ("empty brackets take the first item", "{ .strings[] }", TYPES, "one"),
    ("a union of indexes", "{ .integers[0,2,3] }", TYPES, "1 3 4"),
    ("a filter on the whole value", "{ .integers[?(@<3)] }", TYPES, "1 2"),
    ("an exists filter", "{.points[?(@.z)].id}", TYPES, "i2 i5"),
    ("a bracket key after an index", "{.points[0]['id']}", TYPES, "i1"),
    ("a number comparison", "{.points[?(@.x>=4)].id}", TYPES, "i1 i3"),
]


@pytest.mark.parametrize("template,document,expected", [c[1:] for c in TEMPLATE_CASES],
                         ids=[c[0] for c in TEMPLATE_CASES])
def test_jsonpath_renders_like_client_go(template, document, expected):
    assert jsonpath(template, document) == expected


EXECUTION_ERRORS = [
    ("an index past the end", ".integers[4]", "array index out of bounds: index 4, length 4"),
    ("a negative index before the start", ".integers[-5]", "array index out of bounds: index -1, length 4"),
    ("a slice ending past the end", ".integers[1:6]", "array index out of bounds: index 5, length 4"),
    ("a slice that runs backwards", ".integers[3:1]", "starting index 3 is greater than ending index 1"),
    ("a zero step", ".integers[::0]", "step must be > 0"),
    ("indexing a string", ".maps[0].name[0]", "string is not array or slice"),
    ("indexing an object", ".points[0][0]", "map[string]interface {} is not array or slice"),
    ("comparing several values at once", ".maps[?(@.*==1)]", "can only compare one element at a time"),
    ("an unknown operator", ".points[?(@.x<>10)]", "unrecognized filter operator <>"),
    ("an unknown identifier", "hello", "unrecognized identifier hello"),
]


@pytest.mark.parametrize("path,message", [c[1:] for c in EXECUTION_ERRORS], ids=[c[0] for c in EXECUTION_ERRORS])
def test_evaluate_raises_client_go_execution_errors(path, message):
    with pytest.raises(JSONPathExecutionError) as err:
        evaluate(path, TYPES)
    assert str(err.value) == message


PARSE_ERRORS = [
    ("an unknown character", ".a || .b", "unrecognized character in action: U+007C '|'"),
    ("an unterminated array", ".a[0", "unterminated array"),
    ("an unterminated filter", ".a[?(@.x==1", "unterminated filter"),
    ("a filter without its bracket", ".a[?(@.x==1)", "unclosed array expect ]"),
    ("a double-quoted key in brackets", '.a["b"]', 'invalid array index "b"'),
    ("a number with two points", ".a[?(@.x==1.2.3)]", "cannot parse number 1.2.3"),
    ("three dots twice", "....a", "invalid multiple recursive descent"),
    ("an unterminated quote", '.a[?(@.x=="y)]', "unterminated filter"),
]


@pytest.mark.parametrize("path,message", [c[1:] for c in PARSE_ERRORS], ids=[c[0] for c in PARSE_ERRORS])
def test_evaluate_raises_client_go_parse_errors(path, message):
    with pytest.raises(JSONPathError) as err:
        evaluate(path, TYPES)
    assert not isinstance(err.value, JSONPathExecutionError)
    assert str(err.value) == message


def test_a_failing_template_is_wrapped_as_kubectls_printer_does():
    document = {"kind": "List", "items": [{"name": "a\tb", "ok": True, "n": 1, "none": None}]}
    with pytest.raises(JSONPathError) as err:
        jsonpath('{.items[?(@.name=="x")]}{.items[1]}', document)
    assert str(err.value) == (
        'error executing jsonpath "{.items[?(@.name==\\"x\\")]}{.items[1]}": Error executing template: '
        "array index out of bounds: index 1, length 1. Printing more information for debugging the template:\n"
        '\ttemplate was:\n\t\t{.items[?(@.name=="x")]}{.items[1]}\n'
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"items":[]interface {}{map[string]interface {}{"n":1, "name":"a\\tb", '
        '"none":interface {}(nil), "ok":true}}, "kind":"List"}\n\n\n')


def test_a_template_that_does_not_parse_names_the_whole_template():
    with pytest.raises(JSONPathError) as err:
        jsonpath("name: {.a[x}", {})
    assert str(err.value) == "error parsing jsonpath name: {.a[x}, unterminated array"


def test_a_stray_end_is_an_execution_error():
    with pytest.raises(JSONPathError) as err:
        jsonpath("{range .labels.*}{@}{end}{end}", {"labels": {"a": "1"}})
    assert "Error executing template: not in range, nothing to end." in str(err.value)
