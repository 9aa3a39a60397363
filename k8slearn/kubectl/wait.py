"""``kubectl wait``: block until objects meet a condition, are created, or are deleted.

``--for`` says what to wait for:

* ``condition=Ready`` (``=false`` or another value after a second ``=``): an entry of
  ``status.conditions`` with that type and status, compared without regard to case; a condition
  whose ``observedGeneration`` is older than the object's ``generation`` does not count yet;
* ``jsonpath='{.status.phase}'=Running``: the one value the path reaches, as text (without a value:
  that the path reaches anything);
* ``delete``: the object is gone (or replaced by a new one of the same name);
* ``create``: the named objects exist.

Each object is fetched, checked, then *watched* (``metadata.name=<name>``) until its condition holds
or ``--timeout`` (30 s; 0 checks once, a negative value waits a week) runs out; every object shares
that one deadline (once it has passed, the objects left time out at once). Success prints
``<kind>/<name> condition met``; the failures are reported together at the end. An object missing
when its wait starts is a NotFound error; one deleted *during* a condition or JSONPath wait is not:
the wait goes on (a new object of that name is checked when it comes) until the deadline. With
``--for=delete``, a named object (or one from ``-f``) is fetched when its turn comes, and one
already gone then is skipped without a word; ``-l``/``--all`` list the objects up front.

>>> split_jsonpath_input("{.status.phase}=Running"), split_jsonpath_input("{.a==b}")
(['{.status.phase}', 'Running'], ['{.a==b}'])
>>> relaxed_jsonpath(".status.phase"), relaxed_jsonpath("{status.phase}")
('{.status.phase}', '{.status.phase}')
>>> condition_met({"status": {"conditions": [{"type": "Ready", "status": "True"}]}}, "ready", "true")
True

Simplified: the wait advances the simulated clock in steps of 0.1 s between checks (a real watch
answers at once); a client without a simulated cluster (the recorded-output tests) checks once and
then reports the timeout.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/wait/ (wait.go, condition.go, jsonpath_waiter.go,
delete.go, create.go), staging/src/k8s.io/kubectl/pkg/cmd/get/customcolumn.go (RelaxedJSONPathExpression)
"""

from __future__ import annotations

import re
from typing import Any, Callable

from k8slearn.api.errors import ApiError
from k8slearn.kubectl.apply import print_result
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError
from k8slearn.kubectl.get import check_resource_args, infos_for
from k8slearn.kubectl.jsonpath import JSONPathError, evaluate

TIMED_OUT = "timed out waiting for the condition"
WEEK = 168 * 3600.0
STEP = 0.1  # simulated seconds between two checks
_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")
Check = Callable[[dict], bool]


def split_jsonpath_input(text: str) -> list[str]:
    """splitJSONPathInput: split on each single ``=``; ``==`` stays inside a part."""
    return re.split(r"(?<!=)=(?!=)", text)


def relaxed_jsonpath(expression: str) -> str:
    """RelaxedJSONPathExpression: ``a.b``, ``.a.b``, ``{a.b}`` and ``{.a.b}`` all mean ``{.a.b}``."""
    if not expression:
        return expression
    m = _RELAXED.match(expression)
    if m is None:
        raise KubectlError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                           "'{name1.name2}' or '{.name1.name2}'")
    return "{." + (m.group(1) or m.group(2)) + "}"


def condition_met(obj: dict, name: str, status: str) -> bool:
    """ConditionalWait.checkCondition: the first condition of that type decides."""
    generation = (obj.get("metadata") or {}).get("generation")
    for condition in (obj.get("status") or {}).get("conditions") or ():
        if not isinstance(condition, dict) or str(condition.get("type", "")).lower() != name.lower() \
                or not isinstance(condition.get("status"), str):
            continue
        observed = condition.get("observedGeneration", (obj.get("status") or {}).get("observedGeneration"))
        if generation is not None and observed is not None and observed < generation:
            return False
        return condition["status"].lower() == status.lower()
    return False


def _go_value(value: Any) -> str:
    """fmt's %v of a JSON value (lists and objects are refused before this)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value)) if abs(value) < 1e6 else f"{value:g}".replace("e+0", "e+")
    return str(value)


def jsonpath_check(expression: str, wanted: str | None) -> Check:
    """JSONPathWait.checkCondition for ``{...}`` and an optional expected value."""
    path = expression[1:-1]

    def check(obj: dict) -> bool:
        try:
            found = evaluate(path, obj)
        except JSONPathError as err:
            raise KubectlError(str(err)) from None
        if not found:
            return False
        if len(found) > 1:
            raise KubectlError("given jsonpath expression matches more than one value")
        if wanted is None:
            return True
        if isinstance(found[0], (dict, list)):
            raise KubectlError("jsonpath leads to a nested object or list which is not supported")
        return _go_value(found[0]).strip() == wanted.strip()
    return check


def condition_for(condition: str) -> tuple[str, Check | None]:
    """conditionFuncFor: the kind of wait and, for conditions and JSONPath, the check."""
    if condition.lower() in ("delete", "create"):
        return condition.lower(), None
    if condition.startswith("condition="):
        name, _, status = condition[len("condition="):].partition("=")
        return "condition", lambda obj: condition_met(obj, name, status or "true")
    if condition.startswith("jsonpath="):
        parts = split_jsonpath_input(condition[len("jsonpath="):])
        if len(parts) > 2:
            raise KubectlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                               "--for=jsonpath='{.status.readyReplicas}'")
        expression = relaxed_jsonpath(parts[0])
        wanted = parts[1].strip("'\"") if len(parts) == 2 else None
        if wanted == "":
            raise KubectlError("jsonpath wait has to have a value after equal sign, like "
                               "--for=jsonpath='{.status.readyReplicas}'=3")
        if not expression:
            raise KubectlError("jsonpath expression cannot be empty")
        return "jsonpath", jsonpath_check(expression, wanted)
    raise KubectlError(f'unrecognized condition: "{condition}"')


class Deadline:
    """The one deadline every object's wait shares (``used_up`` once a wait without a simulated
    cluster to run has, notionally, spent the whole timeout)."""

    def __init__(self, at: float) -> None:
        self.at, self.used_up = at, False

    def passed(self, ctx: Context) -> bool:
        return self.used_up or ctx.now() >= self.at


class _Watcher:
    """One object's changes as an API watch reports them (field selector ``metadata.name``),
    as ``watchtools.UntilWithSync`` does: list, then watch from the list's resourceVersion (the
    object's own may be older than the last compaction: a 410 Gone)."""

    def __init__(self, ctx: Context, info: Any, obj: dict) -> None:
        self.obj: dict | None = obj
        self.uid = obj["metadata"].get("uid")
        selector = f"metadata.name={info.name}"
        version = obj["metadata"].get("resourceVersion")
        if hasattr(ctx.client, "list_with_version"):
            items, version = ctx.client.list_with_version(info.resource.plural, info.namespace or None,
                                                          field_selector=selector)
            self.obj = items[0] if items else None
        self.watch = ctx.client.watch(info.resource.plural, info.namespace or None, resource_version=version,
                                      field_selector=selector, handler=self.on_event)

    def on_event(self, event_type: str, obj: dict) -> None:
        self.obj = None if event_type == "DELETED" else obj


def _can_wait(ctx: Context) -> bool:
    return ctx.cluster is not None and hasattr(ctx.cluster, "run") and hasattr(ctx.client, "watch")


def _until(ctx: Context, done: Callable[[], bool], deadline: Deadline) -> bool:
    """Advance the simulated clock until ``done()`` or the deadline; True if done."""
    while not done():
        if not _can_wait(ctx) or deadline.passed(ctx):
            return False
        ctx.cluster.run(seconds=min(STEP, deadline.at - ctx.now()))
    return True


def retrieve_lazy(ctx: Context, info: Any) -> dict | None:
    """The builder's RetrieveLazy for ``--for=delete``: a named object is fetched when its turn
    comes; RunWait's ``IgnoreErrors(apierrors.IsNotFound)`` drops a NotFound then (None: skip it)."""
    try:
        return ctx.client.get(info.resource.plural, info.name, info.namespace or None)
    except ApiError as err:
        if err.code == 404:
            return None
        raise


def wait_for(ctx: Context, info: Any, kind: str, check: Check | None, timeout: float, deadline: Deadline) -> dict:
    """getObjAndCheckCondition / IsDeleted for one object: the object when met, else the error.
    A condition or JSONPath wait models ``isConditionMet``/``isJSONPathConditionMet``: a DELETED
    event is "not met yet", so only the first get (the precondition) can end it with NotFound."""
    where = f"{info.resource.plural}/{info.name}"
    if timeout and deadline.passed(ctx):
        raise KubectlError(f"{TIMED_OUT} on {where}")  # an earlier object used up the shared deadline
    try:
        obj = ctx.client.get(info.resource.plural, info.name, info.namespace or None)
    except ApiError as err:
        if kind == "delete" and err.code == 404:
            return info.obj
        raise
    if kind != "delete" and check(obj):
        return obj
    if timeout == 0:
        raise KubectlError(f"condition not met for {where}")
    if not _can_wait(ctx):  # nothing will change: the whole timeout would pass
        deadline.used_up = True
        raise KubectlError(f"{TIMED_OUT} on {where}")
    watcher = _Watcher(ctx, info, obj)
    try:
        if kind == "delete":
            met = _until(ctx, lambda: watcher.obj is None or watcher.obj["metadata"].get("uid") != watcher.uid,
                         deadline)
            if met:
                return obj
        else:
            if watcher.obj is None:  # preconditionFunc: gone between the get and the list
                raise ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": f'{info.resource.group_resource} "{info.name}" not found',
                                "reason": "NotFound", "code": 404})
            if _until(ctx, lambda: watcher.obj is not None and check(watcher.obj), deadline):
                return watcher.obj
    finally:
        watcher.watch.stop()
    raise KubectlError(f"{TIMED_OUT} on {where}")


@command("wait")
def run_wait(ctx: Context, args: list[str]) -> int:
    kind, check = condition_for(ctx.flags["for"])
    timeout = ctx.flags["timeout"]
    timeout = WEEK if timeout < 0 else timeout
    deadline = Deadline(ctx.now() + timeout)
    if kind == "create":  # wait.go polls the names every 0.5 s until none is missing
        if not _until(ctx, lambda: not any(getattr(e, "code", 0) == 404 for e in infos_for(ctx, args)[1]), deadline):
            raise KubectlError(TIMED_OUT)
    infos, missing = infos_for(ctx, args, allow_all=True)
    lazy = kind == "delete" and check_resource_args(ctx, args) != "selector"  # named, or from -f
    if kind == "delete":
        missing = [e for e in missing if getattr(e, "code", 0) != 404]
    if not infos and missing:
        raise Aggregate(missing)
    if not infos and kind != "delete":
        raise KubectlError("no matching resources found")
    errors: list[Exception] = []
    for info in infos:  # the builder goes on after an error; the errors are reported together
        try:
            if lazy and retrieve_lazy(ctx, info) is None:
                continue  # gone before its turn: nothing is printed for it
            obj = info.obj if kind == "create" else wait_for(ctx, info, kind, check, timeout, deadline)
        except (ApiError, KubectlError) as err:
            errors.append(err)
            continue
        print_result(ctx, info.resource, obj, "condition met")
    if errors or missing:
        raise Aggregate(errors + missing)  # (a missing name is reported after the waits, not in its place)
    return 0
