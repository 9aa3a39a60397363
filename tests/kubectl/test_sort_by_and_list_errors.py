"""``--sort-by`` ordering (sorter.go isLess, sortorder.NaturalLess, Quantity.Cmp), the Selector visitor's
EnhanceListError wording for a list the server refuses, and DescribeProbe's http-get URL (url.URL.String)."""

from fractions import Fraction

import pytest

from k8slearn import Cluster
from k8slearn.api.errors import ApiError
from k8slearn.api.resources import lookup
from k8slearn.kubectl.builder import enhance_list_error, gvr_string
from k8slearn.kubectl.describe import describe_probe, go_url_string
from k8slearn.kubectl.sorter import is_less, natural_less, quantity_amount, sort_key

# fvbommel/sortorder natsort_test.go TestNaturalLess, the table kubectl's vendored copy is tested with
NATURAL_LESS = [
    ("0", "00", True), ("00", "0", False), ("aa", "ab", True), ("ab", "abc", True), ("abc", "ad", True),
    ("ab1", "ab2", True), ("ab1c", "ab1c", False), ("ab12", "abc", True), ("ab2a", "ab10", True),
    ("a0001", "a0000001", True), ("a10", "abcdefgh2", True), ("аб2аб", "аб10аб", True), ("2аб", "3аб", True),
    ("a1b", "a01b", True), ("a01b", "a1b", False), ("ab01b", "ab010b", True), ("ab010b", "ab01b", False),
    ("a01b001", "a001b01", True), ("a001b01", "a01b001", False), ("a1", "a1x", True), ("1ax", "1b", True),
    ("1b", "1ax", False), ("082", "83", True), ("083a", "9a", False), ("9a", "083a", True),
    ("pod-2", "pod-10", True), ("pod-10", "pod-2", False), ("web-9", "web-10", True), ("", "a", True),
    ("a", "", False), ("Z", "a", True), ("-1", "1", False),
]


@pytest.mark.parametrize("left,right,less", NATURAL_LESS,
                         ids=[f"NaturalLess({a!r}, {b!r}) is {less}" for a, b, less in NATURAL_LESS])
def test_strings_compare_in_sortorder_natural_order(left, right, less):
    assert natural_less(left, right) is less


def test_sorting_upstreams_list_with_natural_less_gives_upstreams_order():
    from k8slearn.kubectl.go_sort import sort_interface

    items = ["abc5", "abc1", "abc01", "ab", "abc10", "abc2"]  # TestStringSort
    assert sort_interface(items, natural_less) == ["ab", "abc1", "abc01", "abc2", "abc5", "abc10"]


QUANTITIES = [
    ("500m", Fraction(1, 2)), ("1Gi", Fraction(1 << 30)), ("1e3", Fraction(1000)), ("m", Fraction(0)),
    ("-", Fraction(0)), (".", Fraction(0)), ("1.5k", Fraction(1500)), ("1e-20", Fraction(1, 10**9)),
    ("99999999999999999999", Fraction((1 << 63) - 1)), ("-99999999999999999999", Fraction(-(1 << 63) + 1)),
    ("1e4294967296", Fraction(1)), ("1e99999999999999999999", None), ("", None), ("e", None), ("web-1", None),
    ("1Gb", None), ("2026-01-05T09:00:00Z", None), ("lots", None),
]


@pytest.mark.parametrize("text,amount", QUANTITIES,
                         ids=[f"{t!r} parses as the quantity {a}" for t, a in QUANTITIES])
def test_a_string_is_a_quantity_exactly_when_parse_quantity_accepts_it(text, amount):
    assert quantity_amount(text) == amount


def _key(value):
    return sort_key({"v": value}, ".v") if value != "<missing>" else sort_key({}, ".v")


IS_LESS = [
    (None, "a", True, "a null value comes before a string"),
    ("a", None, False, "a string does not come before a null value"),
    (None, 0, True, "a null value comes before a number"),
    (None, None, False, "two null values are equal"),
    ("<missing>", None, True, "a missing value comes before a null one"),
    (None, "<missing>", False, "a null value does not come before a missing one"),
    ("<missing>", "<missing>", True, "a missing value is less than another missing one, as Less says"),
    ("500Mi", "1Gi", True, "two quantities compare as quantities"),
    ("1Gi", "1000Mi", False, "1Gi is more than 1000Mi although natural order puts it first"),
    ("500m", "1", True, "half a CPU is less than one"),
    ("9223372036854775808", "9223372036854775807", False, "quantities above the int64 maximum are capped"),
    ("1Gi", "lots", True, "a quantity and a word compare in natural order"),
    ("2026-01-05T09:00:09Z", "2026-01-05T09:00:10Z", True, "timestamps compare in natural order"),
    (2, 10, True, "numbers compare as numbers"),
    (10, "1", True, "numbers come before strings (kubectl would exit: unsortable interface)"),
]


@pytest.mark.parametrize("a,b,less", [case[:3] for case in IS_LESS], ids=[case[3] for case in IS_LESS])
def test_sort_by_compares_values_as_isless_does(a, b, less):
    assert is_less(_key(a), _key(b)) is less


@pytest.fixture(scope="module")
def world():
    c = Cluster(workers=1, seed=0)
    c.settle()
    for n in (10, 2, 1):
        c.kubectl(f"run pod-{n} --image=nginx:1.27")
    for name, size in (("small", "500Mi"), ("big", "1Gi"), ("mid", "1000Mi"), ("word", "lots")):
        c.kubectl(f"create configmap {name} --from-literal=size={size}")
    c.kubectl("create deployment web --image=nginx:1.27")
    c.run(seconds=5)
    return c


POD_TABLE = ("NAME                   READY   STATUS    RESTARTS   AGE\n"
             "pod-1                  1/1     Running   0          5s\n"
             "pod-10                 1/1     Running   0          5s\n"
             "pod-2                  1/1     Running   0          5s\n"
             "web-766486c5b6-mf6d4   1/1     Running   0          5s\n")
EVENTS_REFUSED = ('Error from server (BadRequest): Unable to find "/v1, Resource=events" that match label '
                  'selector "", field selector "status.phase=Running": '
                  'field label not supported: status.phase\n')

SORTED = [
    ("get pods --sort-by=.metadata.name",
     "NAME                   READY   STATUS    RESTARTS   AGE\n"
     "pod-1                  1/1     Running   0          5s\n"
     "pod-2                  1/1     Running   0          5s\n"
     "pod-10                 1/1     Running   0          5s\n"
     "web-766486c5b6-mf6d4   1/1     Running   0          5s\n",
     "numbered pods sort as pod-1, pod-2, pod-10"),
    ("get pods --sort-by={.metadata.name} -o name",
     "pod/pod-1\npod/pod-2\npod/pod-10\npod/web-766486c5b6-mf6d4\n",
     "-o name sorts the names in natural order too"),
    ("get cm --sort-by=.data.size -o custom-columns=N:.metadata.name,S:.data.size",
     "N                  S\nkube-root-ca.crt   <none>\nsmall              500Mi\nmid                1000Mi\n"
     "big                1Gi\nword               lots\n",
     "sizes sort as quantities after the object without one, and a word after them"),
    ("get events --field-selector involvedObject.name=pod-1 --sort-by=.lastTimestamp",
     "LAST SEEN   TYPE     REASON      OBJECT      MESSAGE\n"
     "4s          Normal   Scheduled   pod/pod-1   Successfully assigned default/pod-1 to node-1\n"
     '5s          Normal   Pulling     pod/pod-1   Pulling image "nginx:1.27"\n'
     '3s          Normal   Pulled      pod/pod-1   Successfully pulled image "nginx:1.27" in 300ms (1.624s '
     "including waiting). Image size: 72404038 bytes.\n"
     "3s          Normal   Created     pod/pod-1   Created container pod-1\n"
     "3s          Normal   Started     pod/pod-1   Started container pod-1\n",
     "the scheduler's event, whose lastTimestamp is null, comes first in a timeline"),
    ("get events --field-selector involvedObject.name=pod-1 --sort-by=.eventTime -o custom-columns=R:.reason",
     "R\nPulling\nPulled\nCreated\nStarted\nScheduled\n",
     "by eventTime the kubelet's events, whose eventTime is null, come first"),
]


@pytest.mark.parametrize("command,stdout", [case[:2] for case in SORTED], ids=[case[2] for case in SORTED])
def test_sort_by_orders_rows_as_kubectl_does(world, command, stdout):
    result = world.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, "", 0)


def _refused(gvr, label, field, message):
    return (f'Error from server (BadRequest): Unable to find "{gvr}" that match label selector "{label}", '
            f'field selector "{field}": {message}\n')


REFUSED = [
    ("get events --field-selector foo=bar", "",
     _refused("/v1, Resource=events", "", "foo=bar", "field label not supported: foo"),
     "get with an unsupported field selector names the resource and both selectors"),
    ("get deploy -A --field-selector foo=bar", "",
     _refused("apps/v1, Resource=deployments", "", "foo=bar", "field label not supported: foo"),
     "a resource of a named group prints its group"),
    ("get pods -l 'a in'", "",
     _refused("/v1, Resource=pods", "a in", "", "unable to parse requirement: found '' expected: '('"),
     "a label selector the server cannot parse is wrapped as well"),
    ("get pods,events --field-selector status.phase=Running", POD_TABLE, EVENTS_REFUSED,
     "the types the server lists still print before the refused one's error"),
    ("get events,pods --field-selector status.phase=Running -o name",
     "pod/pod-1\npod/pod-10\npod/pod-2\npod/web-766486c5b6-mf6d4\n", EVENTS_REFUSED,
     "-o name prints the names that were listed"),
    ("get events --field-selector foo=bar -o yaml",
     'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n',
     _refused("/v1, Resource=events", "", "foo=bar", "field label not supported: foo"),
     "-o yaml prints the empty List, then the error"),
    ("delete pods --field-selector foo=bar", "",
     _refused("/v1, Resource=pods", "", "foo=bar", "field label not supported: foo"),
     "delete with a selector lists through the same visitor"),
    ("describe deploy -l 'a in'", "",
     _refused("apps/v1, Resource=deployments", "a in", "",
              "unable to parse requirement: found '' expected: '('"),
     "describe with a selector lists through the same visitor"),
    ("label pods -l '!!x' a=b", "",
     _refused("/v1, Resource=pods", "!!x", "",
              "unable to parse requirement: found '!', expected: identifier"),
     "label with a selector lists through the same visitor"),
    ("logs -l 'a in'", "",
     _refused("/v1, Resource=pods", "a in", "", "unable to parse requirement: found '' expected: '('"),
     "logs with a selector lists pods through the builder"),
    ("cordon -l 'a in'", "",
     _refused("/v1, Resource=nodes", "a in", "", "unable to parse requirement: found '' expected: '('"),
     "cordon with a selector lists nodes through the builder"),
]


@pytest.mark.parametrize("command,stdout,stderr", [case[:3] for case in REFUSED],
                         ids=[case[3] for case in REFUSED])
def test_a_list_the_server_refuses_is_reported_as_enhance_list_error_words_it(world, command, stdout, stderr):
    result = world.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, 1)


ENHANCE = [
    ({"reason": "BadRequest", "code": 400, "message": "boom"}, "", "",
     'Unable to list "/v1, Resource=events": boom', "without selectors the message reads Unable to list"),
    ({"reason": "NotFound", "code": 404, "message": "boom"}, "app=web", "",
     'Unable to find "/v1, Resource=events" that match label selector "app=web", field selector "": boom',
     "a NotFound answer is wrapped too"),
    ({"reason": "", "code": 400, "message": "boom"}, 'a="b"', "",
     'Unable to find "/v1, Resource=events" that match label selector "a=\\"b\\"", field selector "": boom',
     "a 400 without a reason is wrapped and the selector is quoted as Go's %q does"),
    ({"reason": "Forbidden", "code": 403, "message": "boom"}, "app=web", "", "boom",
     "Forbidden is left as it is"),
    ({"reason": "Expired", "code": 410, "message": "boom"}, "app=web", "", "boom",
     "Expired is left as it is"),
]


@pytest.mark.parametrize("status,label,field,message", [case[:4] for case in ENHANCE],
                         ids=[case[4] for case in ENHANCE])
def test_enhance_list_error_wraps_only_bad_request_and_not_found(status, label, field, message):
    err = enhance_list_error(ApiError(status), gvr_string(lookup("events")), label, field)
    assert (str(err), err.status["reason"], err.status["code"]) == (message, status["reason"], status["code"])


def test_the_gvr_string_is_group_slash_version_then_resource():
    assert [gvr_string(lookup(r)) for r in ("events", "deploy", "cronjobs")] == [
        "/v1, Resource=events", "apps/v1, Resource=deployments", "batch/v1, Resource=cronjobs"]


def _http_probe(**get):
    probe = {"httpGet": get, "initialDelaySeconds": 0, "timeoutSeconds": 1, "periodSeconds": 3,
             "successThreshold": 1, "failureThreshold": 3}
    return describe_probe(probe).rsplit(" delay=", 1)[0]


PROBES = [
    ({"path": "healthz", "port": "http", "scheme": "HTTP"}, "http-get http://:http/healthz",
     "a path without a leading slash gets one"),
    ({"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "http-get http://:8080/healthz",
     "a path with a leading slash is kept"),
    ({"path": "/a b?c%d", "port": 80, "scheme": "HTTP"}, "http-get http://:80/a%20b%3Fc%25d",
     "a space, a question mark and a percent sign are escaped"),
    ({"path": "/x;y=1,z:@$&+'(*)!", "port": 80, "scheme": "HTTP"},
     "http-get http://:80/x;y=1,z:@$&+%27%28%2A%29%21",
     "reserved characters a path allows stay, sub-delims outside them are escaped"),
    ({"path": "/é", "port": 80, "scheme": "HTTP"}, "http-get http://:80/%C3%A9",
     "non-ASCII bytes are escaped"),
    ({"path": "*", "port": 80, "scheme": "HTTP"}, "http-get http://:80/*", "a lone star is not escaped"),
    ({"path": "", "port": 80, "scheme": "HTTP"}, "http-get http://:80", "an empty path adds nothing"),
    ({"path": "/", "port": 443, "scheme": "HTTPS", "host": "10.0.0.1"}, "http-get https://10.0.0.1:443/",
     "the host and the lower-cased scheme are printed"),
    ({"path": "/", "port": 80, "scheme": "HTTP", "host": "fd00::1"}, "http-get http://[fd00::1]:80/",
     "an IPv6 host is bracketed by JoinHostPort"),
]


@pytest.mark.parametrize("get,line", [case[:2] for case in PROBES], ids=[case[2] for case in PROBES])
def test_describe_prints_an_http_get_probe_as_url_string_does(get, line):
    assert _http_probe(**get) == line


def test_go_url_string_without_scheme_or_host_protects_a_colon_in_the_first_segment():
    assert (go_url_string("", "", "a:b/c"), go_url_string("", "", "a/b:c")) == ("./a:b/c", "a/b:c")


def test_describe_pod_shows_a_relative_readiness_path_with_its_slash():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""
apiVersion: v1
kind: Pod
metadata: {name: rp}
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports: [{name: http, containerPort: 80}]
    readinessProbe: {httpGet: {path: healthz, port: http}, periodSeconds: 3}
""")
    lines = [line.split(None, 1) for line in c.kubectl("describe pod rp").stdout.splitlines()
             if "Readiness:" in line]
    assert lines == [["Readiness:",
                      "http-get http://:http/healthz delay=0s timeout=1s period=3s #success=1 #failure=3"]]
