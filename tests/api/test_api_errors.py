"""Field errors and Status errors: message bodies, value rendering, aggregation and Status shapes."""

import pytest

from k8slearn.api import errors, field
from k8slearn.api.field import GoValue, Path
from k8slearn.api.resources import lookup

BODIES = [
    (field.required("spec.containers[0].image"), "spec.containers[0].image: Required value",
     "required has no value"),
    (field.required("metadata.name", "name or generateName is required"),
     "metadata.name: Required value: name or generateName is required", "required appends its detail"),
    (field.invalid("spec.replicas", -1, "must be greater than or equal to 0"),
     "spec.replicas: Invalid value: -1: must be greater than or equal to 0", "numbers are printed bare"),
    (field.invalid("metadata.name", "My_Pod", "bad"), 'metadata.name: Invalid value: "My_Pod": bad',
     "strings are quoted"),
    (field.invalid("x", True, "bad"), "x: Invalid value: true: bad", "booleans print as Go booleans"),
    (field.invalid("x", 1.5, "bad"), "x: Invalid value: 1.5: bad", "floats print bare"),
    (field.invalid("x", None, "bad"), 'x: Invalid value: "null": bad',
     "a missing value prints as a quoted null"),
    (field.invalid("x", 'say "hi"\n', "bad"), 'x: Invalid value: "say \\"hi\\"\\n": bad',
     "strings are Go-escaped"),
    (field.invalid("x", {"b": "2", "a": "1"}, "bad"),
     'x: Invalid value: map[string]string{"a":"1", "b":"2"}: bad',
     "string maps print as sorted Go maps"),
    (field.invalid("x", ["a", "b"], "bad"), 'x: Invalid value: []string{"a", "b"}: bad',
     "string lists print as Go slices"),
    (field.invalid("x", GoValue("25%"), "bad"), "x: Invalid value: 25%: bad", "a GoValue prints verbatim"),
    (field.not_supported("spec.restartPolicy", "Sometimes", ["Always", "OnFailure", "Never"]),
     'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
     "not supported lists the quoted choices"),
    (field.duplicate("spec.containers[1].name", "web"), 'spec.containers[1].name: Duplicate value: "web"',
     "duplicate shows the value"),
    (field.forbidden("spec", "not allowed"), "spec: Forbidden: not allowed", "forbidden has no value"),
    (field.too_long("metadata.annotations", "", 262144),
     "metadata.annotations: Too long: may not be more than 262144 bytes",
     "too long states the byte limit"),
    (field.too_many("spec.rules", 25, 20), "spec.rules: Too many: 25: must have at most 20 items",
     "too many shows the count"),
    (field.not_found("spec.volumeMounts[0].name", "data"), 'spec.volumeMounts[0].name: Not found: "data"',
     "not found shows the value"),
]


@pytest.mark.parametrize("err,text", [b[:2] for b in BODIES], ids=[b[2] for b in BODIES])
def test_a_field_error_reads_like_the_api_server(err, text):
    assert err.error() == text


def test_a_cause_has_reason_message_and_field():
    assert field.required("spec.containers[0].image").cause() == {
        "reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers[0].image"}


def test_a_path_builds_children_indexes_and_keys():
    assert str(Path("spec").child("containers").index(0).child("resources", "limits").key("cpu")) == (
        "spec.containers[0].resources.limits[cpu]")


AGGREGATES = [
    ([field.required("a")], "a: Required value", "one error has no brackets"),
    ([field.required("a"), field.required("b")], "[a: Required value, b: Required value]",
     "two errors are bracketed"),
    ([field.required("a"), field.required("a")], "a: Required value", "duplicate messages are dropped"),
]


@pytest.mark.parametrize("errs,text", [a[:2] for a in AGGREGATES], ids=[a[2] for a in AGGREGATES])
def test_field_errors_aggregate_like_apimachinery(errs, text):
    assert field.aggregate(errs) == text


STATUSES = [
    (errors.not_found(lookup("pods"), "web"), 404, "NotFound", 'pods "web" not found',
     {"name": "web", "kind": "pods"}, "a missing pod is 404 NotFound"),
    (errors.not_found(lookup("deploy"), "web"), 404, "NotFound", 'deployments.apps "web" not found',
     {"name": "web", "group": "apps", "kind": "deployments"}, "a grouped resource is named with its group"),
    (errors.already_exists(lookup("pods"), "web"), 409, "AlreadyExists", 'pods "web" already exists',
     {"name": "web", "kind": "pods"}, "a duplicate name is 409 AlreadyExists"),
    (errors.conflict(lookup("pods"), "web"), 409, "Conflict",
     'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the '
     "latest version and try again", {"name": "web", "kind": "pods"}, "a stale update is 409 Conflict"),
    (errors.forbidden(lookup("pods"), "web",
                      "unable to create new content in namespace dev because it is being terminated"),
     403, "Forbidden",
     'pods "web" is forbidden: unable to create new content in namespace dev because it is being terminated',
     {"name": "web", "kind": "pods"}, "forbidden names the resource"),
    (errors.method_not_allowed(lookup("events"), "watch"), 405, "MethodNotAllowed",
     'watch is not supported on resources of kind "events"', {"kind": "events"},
     "an unsupported verb is 405"),
    (errors.internal_error("boom"), 500, "InternalError", "Internal error occurred: boom",
     {"causes": [{"message": "boom"}]}, "an internal error carries its cause"),
]


@pytest.mark.parametrize("err,code,reason,message,details", [s[:5] for s in STATUSES],
                         ids=[s[5] for s in STATUSES])
def test_a_status_error_has_the_upstream_shape(err, code, reason, message, details):
    assert err.status == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                          "message": message, "reason": reason, "details": details, "code": code}
    assert (err.code, err.reason, str(err)) == (code, reason, message)


def test_bad_request_and_expired_have_no_details():
    assert errors.bad_request("nope").status == {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                                 "status": "Failure",
                                                 "message": "nope", "reason": "BadRequest", "code": 400}
    expired = errors.expired("too old resource version: 5 (120)")
    assert (expired.code, expired.reason, str(expired)) == (410, "Expired", "too old resource version: 5 (120)")


def test_invalid_lists_every_cause_and_aggregates_the_message():
    errs = [field.invalid("metadata.name", "My_Pod", "bad"), field.required("spec.containers")]
    err = errors.invalid(lookup("pods"), "My_Pod", errs)
    assert str(err) == 'Pod "My_Pod" is invalid: [metadata.name: Invalid value: "My_Pod": bad, spec.containers: Required value]'
    assert err.code == 422 and err.reason == "Invalid"
    assert err.status["details"] == {"name": "My_Pod", "kind": "Pod", "causes": [
        {"reason": "FieldValueInvalid", "message": 'Invalid value: "My_Pod": bad', "field": "metadata.name"},
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers"}]}


def test_invalid_names_a_grouped_kind_with_its_group():
    err = errors.invalid(lookup("deployments"), "web", [field.required("spec.selector")])
    assert str(err) == 'Deployment.apps "web" is invalid: spec.selector: Required value'
    assert err.status["details"]["group"] == "apps" and err.status["details"]["kind"] == "Deployment"


def test_an_api_error_round_trips_through_its_status():
    status = errors.not_found(lookup("nodes"), "node-9").status
    assert errors.ApiError.from_status(status).code == 404
