"""The one NodeSelector matcher (component-helpers' nodeaffinity) and the volume check built on it."""

import pytest

from k8slearn.api.node_affinity import (
    LazyErrorNodeSelector,
    PreferredSchedulingTerms,
    RequiredNodeAffinity,
    match_node_selector_terms,
    parse_int64,
)
from k8slearn.api.volume_matching import check_node_affinity

NODE = {"metadata": {"name": "node-1", "labels": {"disk": "ssd", "cores": "8", "zone": "a"}}}
NAMELESS = {"metadata": {"labels": NODE["metadata"]["labels"]}}  # how CheckNodeAffinity builds a node
BAD_LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
    "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def expr(key, op, *values):
    e = {"key": key, "operator": op}
    if values:
        e["values"] = list(values)
    return e


def name_field(op, *values, key="metadata.name"):
    return {"key": key, "operator": op, "values": list(values)}


def terms(*ts):
    return {"nodeSelectorTerms": list(ts)}


def exprs(*es):
    return {"matchExpressions": list(es)}


def fields(*fs):
    return {"matchFields": list(fs)}


# (id, selector, node, matched, error text reported when nothing matched)
CASES = [
    ("a selector with no terms matches nothing", terms(), NODE, False, ""),
    ("an empty term matches nothing", terms({}), NODE, False, ""),
    ("a term with empty lists matches nothing", terms({"matchExpressions": [], "matchFields": []}), NODE,
     False, ""),
    ("In matches a listed value", terms(exprs(expr("disk", "In", "nvme", "ssd"))), NODE, True, ""),
    ("In does not match an unlisted value", terms(exprs(expr("disk", "In", "hdd"))), NODE, False, ""),
    ("NotIn matches a node without the label", terms(exprs(expr("gpu", "NotIn", "true"))), NODE, True, ""),
    ("NotIn does not match a listed value", terms(exprs(expr("disk", "NotIn", "ssd"))), NODE, False, ""),
    ("Exists needs the label", terms(exprs(expr("zone", "Exists"))), NODE, True, ""),
    ("DoesNotExist needs its absence", terms(exprs(expr("zone", "DoesNotExist"))), NODE, False, ""),
    ("Gt compares the label as an integer", terms(exprs(expr("cores", "Gt", "10"))), NODE, False, ""),
    ("Lt compares the label as an integer", terms(exprs(expr("cores", "Lt", "10"))), NODE, True, ""),
    ("Gt on a label that is not a number does not match", terms(exprs(expr("disk", "Gt", "1"))), NODE,
     False, ""),
    ("the expressions of a term are ANDed",
     terms(exprs(expr("disk", "In", "ssd"), expr("cores", "Gt", "10"))), NODE, False, ""),
    ("the terms are ORed", terms(exprs(expr("disk", "In", "hdd")), exprs(expr("zone", "In", "a"))), NODE,
     True, ""),
    ("In with no values does not parse", terms(exprs(expr("disk", "In"))), NODE, False,
     "nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string(nil): "
     "for 'in', 'notin' operators, values set can't be empty"),
    ("NotIn with no values does not parse, so it does not match everything",
     terms(exprs(expr("disk", "NotIn"))), NODE, False,
     "nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string(nil): "
     "for 'in', 'notin' operators, values set can't be empty"),
    ("Exists with values does not parse", terms(exprs(expr("disk", "Exists", "ssd"))), NODE, False,
     'nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string{"ssd"}: '
     "values set must be empty for exists and does not exist"),
    ("an unknown operator does not parse", terms(exprs(expr("disk", "Like", "ssd"))), NODE, False,
     'nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Like": '
     'supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"'),
    ("Gt with a value that is not an integer does not parse", terms(exprs(expr("cores", "Gt", "four"))), NODE,
     False, "nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: \"four\": "
     "for 'Gt', 'Lt' operators, the value must be an integer"),
    ("Gt with two values does not parse", terms(exprs(expr("cores", "Gt", "1", "2"))), NODE, False,
     'nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string{"1", "2"}: '
     "for 'Gt', 'Lt' operators, exactly one value is required"),
    ("Gt with a negative number does not parse: it is not a valid label value",
     terms(exprs(expr("cores", "Gt", "-1"))), NODE, False,
     f'nodeSelectorTerms[0].matchExpressions[0].values[0][cores]: Invalid value: "-1": {BAD_LABEL_VALUE}'),
    ("NotIn with a value that is not a valid label value does not parse",
     terms(exprs(expr("disk", "NotIn", "hdd!"))), NODE, False,
     f'nodeSelectorTerms[0].matchExpressions[0].values[0][disk]: Invalid value: "hdd!": {BAD_LABEL_VALUE}'),
    ("a term that does not parse is skipped and the next term still matches",
     terms(exprs(expr("disk", "Like", "ssd")), exprs(expr("zone", "In", "a"))), NODE, True, ""),
    ("matchFields In names the node", terms(fields(name_field("In", "node-1"))), NODE, True, ""),
    ("matchFields In another node does not match", terms(fields(name_field("In", "node-2"))), NODE,
     False, ""),
    ("matchFields NotIn another node matches", terms(fields(name_field("NotIn", "node-2"))), NODE, True, ""),
    ("matchFields and matchExpressions of a term are ANDed",
     terms({**fields(name_field("In", "node-1")), **exprs(expr("disk", "In", "hdd"))}), NODE, False, ""),
    ("matchFields with two values does not parse", terms(fields(name_field("In", "node-1", "node-2"))), NODE,
     False, 'nodeSelectorTerms[0].matchFields[0].values: Invalid value: []string{"node-1", "node-2"}: '
            "must have one element"),
    ("matchFields with Exists does not parse",
     terms(fields({"key": "metadata.name", "operator": "Exists"})), NODE, False,
     'nodeSelectorTerms[0].matchFields[0].operator: Unsupported value: "Exists": '
     'supported values: "In", "NotIn"'),
    ("a node without a name skips the matchFields requirements", terms(fields(name_field("In", "node-2"))),
     NAMELESS, True, ""),
    ("errors of every term are reported together when none matched",
     terms(exprs(expr("disk", "Like")), exprs(expr("cores", "Gt", "x"))), NODE, False,
     '[nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Like": '
     'supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", '
     "nodeSelectorTerms[1].matchExpressions[0].values[0]: Invalid value: \"x\": "
     "for 'Gt', 'Lt' operators, the value must be an integer]"),
]


@pytest.mark.parametrize("selector, node, matched, error", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_lazy_error_node_selector_match(selector, node, matched, error):
    assert LazyErrorNodeSelector(selector).match(node) == (matched, error)
    assert match_node_selector_terms(node, selector) == (matched, error)
    assert LazyErrorNodeSelector(selector).matches(node) is matched


def _pod(node_selector=None, required=None):
    spec = {}
    if node_selector is not None:
        spec["nodeSelector"] = node_selector
    if required is not None:
        spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": required}}
    return {"spec": spec}


@pytest.mark.parametrize("pod, expected", [
    (_pod(), True),
    (_pod(node_selector={"disk": "ssd"}), True),
    (_pod(node_selector={"disk": "ssd", "zone": "b"}), False),
    (_pod(required=terms()), False),
    (_pod(node_selector={"disk": "ssd"}, required=terms(exprs(expr("cores", "Lt", "4")))), False),
    (_pod(node_selector={"disk": "ssd"}, required=terms(exprs(expr("cores", "Gt", "4")))), True),
], ids=["a pod with neither nodeSelector nor affinity fits every node",
        "a nodeSelector whose labels the node has fits",
        "every nodeSelector label must be on the node",
        "a required affinity with no terms fits no node",
        "nodeSelector and required affinity must both hold",
        "a node that has the labels and matches a term fits"])
def test_required_node_affinity_matches(pod, expected):
    assert RequiredNodeAffinity(pod).matches(NODE) is expected


def test_preferred_terms_score_the_weights_of_the_terms_a_node_matches_and_skip_weight_zero():
    preferred = PreferredSchedulingTerms([
        {"weight": 5, "preference": exprs(expr("disk", "In", "ssd"))},
        {"weight": 3, "preference": exprs(expr("zone", "In", "b"))},
        {"weight": 0, "preference": exprs(expr("disk", "Like"))},
        {"weight": 7, "preference": {}},
        {"weight": 2, "preference": fields(name_field("In", "node-1"))},
    ])
    assert preferred.errors == []
    assert preferred.score(NODE) == 7


def test_preferred_terms_that_do_not_parse_are_reported_with_their_index():
    preferred = PreferredSchedulingTerms([{"weight": 1, "preference": exprs(expr("disk", "In"))}])
    assert [str(e) for e in preferred.errors] == [
        "[0].matchExpressions[0].values: Invalid value: []string(nil): "
        "for 'in', 'notin' operators, values set can't be empty"]


@pytest.mark.parametrize("text, expected", [
    ("42", 42), ("+7", 7), ("-3", -3), (" 4", None), ("1_0", None), ("4.0", None), ("", None),
    ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None),
], ids=["digits parse", "a plus sign parses", "a minus sign parses", "a space does not",
        "an underscore does not", "a decimal point does not", "the empty string does not",
        "the largest int64 parses", "one more overflows"])
def test_parse_int64_follows_strconv_parse_int(text, expected):
    assert parse_int64(text) == expected


@pytest.mark.parametrize("label, operator, value, expected", [
    ("8", "Gt", "5", True), ("1_0", "Gt", "5", False), (" 8", "Gt", "5", False), ("+8", "Gt", "5", True),
    ("3", "Lt", "5", True), ("ten", "Lt", "5", False),
], ids=["a number label above the value matches Gt", "a label Python's int would read as 10 does not",
        "a label with a space does not", "a signed label parses as Go's ParseInt does",
        "a number label below the value matches Lt", "a label that is not a number matches neither"])
def test_gt_and_lt_read_the_node_label_as_strconv_parse_int(label, operator, value, expected):
    node = {"metadata": {"name": "node-1", "labels": {"cores": label}}}
    assert LazyErrorNodeSelector(terms(exprs(expr("cores", operator, value)))).matches(node) is expected


def pv(required):
    return {"spec": {"nodeAffinity": {"required": required}}}


@pytest.mark.parametrize("volume, labels, expected", [
    ({"spec": {}}, {}, None),
    (pv(terms(exprs(expr("kubernetes.io/hostname", "In", "node-1")))), {"kubernetes.io/hostname": "node-1"},
     None),
    (pv(terms(exprs(expr("kubernetes.io/hostname", "In", "node-1")))), {"kubernetes.io/hostname": "node-2"},
     "no matching NodeSelectorTerms"),
    (pv(terms(fields(name_field("In", "node-1")))), {"kubernetes.io/hostname": "node-2"}, None),
    (pv(terms(exprs(expr("zone", "Gt", "x")))), {"zone": "1"},
     "nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: \"x\": "
     "for 'Gt', 'Lt' operators, the value must be an integer"),
], ids=["a volume without node affinity allows every node",
        "a node with a matching label may use the volume",
        "a node without it gets no matching NodeSelectorTerms",
        "matchFields are skipped: the node is built from labels only, without a name",
        "a term that does not parse gives its parse error instead"])
def test_check_node_affinity(volume, labels, expected):
    assert check_node_affinity(volume, labels) == expected
