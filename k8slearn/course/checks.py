"""Exercise checks: run a student's answer over a case table, a manifest or a cluster and say,
case by case, what passed and what did not.

Every check returns a :class:`CheckResult` whose text and HTML forms are deterministic (no
memory addresses, no timings, exceptions shown as ``raised KeyError: 'status'``, never
raised), so a notebook that shows one passes strict nbval.

>>> def bad_double(n):
...     return n + 2
>>> from k8slearn.course.cases import Case, CaseTable
>>> table = CaseTable("double", "Twice the number.", [Case("two doubled is four", (2,), 4),
...                                                   Case("three doubled is six", (3,), 6)])
>>> print(check(bad_double, table))
✘ 1/2 cases pass · 1 fails (double)
✘ three doubled is six
    expected: 6
    got:      5
>>> print(check_manifest("apiVersion: apps/v1\\nkind: Deployment\\nspec:\\n  replicas: '3'\\n",
...                      {"kind": "Deployment", "spec.replicas": 3}))
✘ 1/3 checks pass · 2 fail (Deployment)
✘ spec.replicas is 3
    expected: 3
    got:      '3'
✘ the API server accepts it (kubectl apply --dry-run=server)
    expected: created (server dry run)
    got:      Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32

Upstream: none (course machinery)
"""

from __future__ import annotations

import copy
import html
import re
import textwrap
from dataclasses import dataclass
from typing import Any, Callable

from k8slearn.course.cases import TABLES, CaseTable, get_table, same, show_value, unknown_table

__all__ = ["CheckResult", "Outcome", "Satisfies", "check", "check_cluster", "check_manifest"]


@dataclass(frozen=True)
class Outcome:
    """One case's result: ``got`` is what the student's code gave, ``error`` what it raised."""

    id: str
    passed: bool
    expected: Any
    got: Any = None
    error: str | None = None
    note: str = ""


class CheckResult:
    """The outcomes of one check; true when every case passed."""

    def __init__(self, title: str, outcomes: list[Outcome], noun: str = "cases") -> None:
        self.title = title
        self.outcomes = list(outcomes)
        self.noun = noun

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    @property
    def ok(self) -> bool:
        return not self.failures

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        failed = len(self.failures)
        text = f"{'✘' if failed else '✔'} {self.passed}/{self.total} {self.noun} pass"
        if failed:
            text += f" · {failed} fail" + ("s" if failed == 1 else "")
        return f"{text} ({self.title})"

    def __repr__(self) -> str:
        lines = [self.summary()]
        for o in self.failures:
            lines.append(f"✘ {o.id}")
            lines.append(_indent("expected: ", show_value(o.expected)))
            lines.append(_indent("got:      ", _got_text(o)))
            if o.note:
                lines.append(f"    {o.note}")
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        esc = html.escape
        colour = "#1a7f37" if self.ok else "#b35900"
        head = f"<div style='font-weight:bold;color:{colour}'>{esc(self.summary())}</div>"
        if self.ok:
            return f"<div>{head}</div>"
        cell = "style='text-align:left;vertical-align:top'"
        rows = "".join(
            f"<tr><td {cell}>✘ {esc(o.id)}</td><td {cell}><pre>{esc(show_value(o.expected))}</pre></td>"
            f"<td {cell}><pre>{esc(_got_text(o))}</pre>{esc(o.note)}</td></tr>"
            for o in self.failures
        )
        return (
            f"<div>{head}<table><thead><tr><th {cell}>failing case</th><th {cell}>expected</th>"
            f"<th {cell}>got</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )


def _indent(label: str, text: str) -> str:
    pad = "\n" + " " * (4 + len(label))
    return "    " + label + pad.join(text.splitlines() or [""])


def _got_text(o: Outcome) -> str:
    return o.error if o.error is not None else show_value(o.got)


def _raised(exc: BaseException) -> str:
    """``raised KeyError: 'status'``, without memory addresses."""
    return re.sub(r" at 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}", "", f"raised {type(exc).__name__}: {exc}")


def type_in_words(value: Any) -> str:
    """A value's Python type as a student reads it.

    >>> type_in_words(None), type_in_words({}), type_in_words([1]), type_in_words(3), type_in_words("a")
    ('None', 'a dict', 'a list', 'an int', 'a str')
    """
    if value is None:
        return "None"
    name = type(value).__name__
    return ("an " if name[0] in "aeiouAEIOU" else "a ") + name


def _shape(value: Any) -> str:
    return type_in_words(value) + (" (one object)" if isinstance(value, dict) else "")


def first_difference(expected: Any, got: Any, path: str = "") -> str:
    """Where two JSON-like values first differ, as a sentence; "" when they are the same. An
    answer of the wrong type altogether is named in words (the values are shown just above).

    >>> first_difference({"spec": {"replicas": 3}}, {"spec": {"replicas": "3"}})
    "first difference at spec.replicas: expected 3, got '3'"
    >>> first_difference({"kind": "Pod"}, [{"kind": "Pod"}])
    'first difference at the top level: expected a dict (one object), got a list'
    """
    where = path or "the top level"
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in expected:
            sub = f"{path}.{key}" if path else str(key)
            if key not in got:
                return f"first difference: {sub} is missing"
            found = first_difference(expected[key], got[key], sub)
            if found:
                return found
        extra = [k for k in got if k not in expected]
        return f"first difference: {where} has an unexpected key {extra[0]!r}" if extra else ""
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        for i, (a, b) in enumerate(zip(expected, got)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        if len(expected) != len(got):
            return f"first difference: {where} has {len(got)} items, expected {len(expected)}"
        return ""
    if same(expected, got):
        return ""
    if not path and any(isinstance(value, (dict, list, tuple)) for value in (expected, got)):
        return f"first difference at the top level: expected {_shape(expected)}, got {_shape(got)}"
    shown = [show_value(value, 80, pretty=False) for value in (expected, got)]
    return f"first difference at {where}: expected {shown[0]}, got {shown[1]}"


def check(student_fn_or_value: Any, table: str | CaseTable) -> CheckResult:
    """Run a student's function over a named case table; nothing the student's code raises
    escapes. A non-callable answer is compared with every case's expected value; a dict keyed
    by case ids gives one answer per case. A name that is no table's is a failing check.

    >>> print(check(len, "etcd.key_fr"))  # doctest: +ELLIPSIS
    ✘ 0/1 checks pass · 1 fails (etcd.key_fr)
    ✘ check names one of the course's case tables
        expected: one of age.human_duration, ...
        got:      'etcd.key_fr'
        no case table is named 'etcd.key_fr' (did you mean 'etcd.key_for'?)
    """
    if not isinstance(table, CaseTable) and not (isinstance(table, str) and table in TABLES):
        return _no_such_table(table)
    table = get_table(table)
    outcomes = [_run_case(student_fn_or_value, table, case) for case in table.cases]
    return CheckResult(table.name, outcomes)


class _Words(str):
    """Text shown as it is, without quotes, where a check shows a value."""

    __repr__ = str.__str__


def _no_such_table(name: Any) -> CheckResult:
    tables = _Words(textwrap.fill("one of " + ", ".join(sorted(TABLES)), width=80))
    outcome = Outcome("check names one of the course's case tables", False, tables, name,
                      note=unknown_table(name))
    return CheckResult(name if isinstance(name, str) else "check", [outcome], noun="checks")


def _run_case(answer: Any, table: CaseTable, case) -> Outcome:
    if callable(answer):
        per_case = copy.deepcopy(case)  # a student's function may modify its arguments
        try:
            got = table.call(answer, per_case)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - shown to the student, never raised (exit() too)
            return Outcome(case.id, False, case.expected, error=_raised(exc))
    elif isinstance(answer, dict) and answer and set(answer) <= set(table.ids()):
        if case.id not in answer:
            return Outcome(case.id, False, case.expected, error="(no answer given for this case)")
        got = answer[case.id]
    else:
        got = answer
    try:
        if same(case.expected, got):
            return Outcome(case.id, True, case.expected, got)
        note = first_difference(case.expected, got) if isinstance(case.expected, (dict, list)) else ""
        if isinstance(answer, dict) and answer and case.args and not note:
            note = ("a dict is the answer itself unless its keys are the cases' names; to look each "
                    "case's argument up in it, pass the dict's get: check(answers.get, ...)")
    except Exception as exc:  # noqa: BLE001 - the answer's own == raised
        return Outcome(case.id, False, case.expected, error=f"comparing the answer {_raised(exc)}")
    return Outcome(case.id, False, case.expected, got, note=note)


# -- manifests ---------------------------------------------------------------------------------

_PATH_TOKEN = re.compile(r"""\[(\d+)\]|\[(["'])(.*?)\2\]|([^.\[\]]+)""")


def parse_path(path: str) -> list[str | int]:
    """Split a dotted path into keys and list indexes.

    >>> parse_path('spec.template.spec.containers[0].image')
    ['spec', 'template', 'spec', 'containers', 0, 'image']
    >>> parse_path('metadata.labels["app.kubernetes.io/name"]')
    ['metadata', 'labels', 'app.kubernetes.io/name']
    """
    parts: list[str | int] = []
    for index, _, quoted, key in _PATH_TOKEN.findall(path):
        parts.append(int(index) if index else quoted if quoted else key)
    return parts


_MISSING = object()


def lookup(obj: Any, path: str) -> tuple[Any, str]:
    """The value at ``path`` and "" — or ``_MISSING`` and a sentence saying what is missing. A
    field written as the wrong kind of YAML node (a mapping where a list belongs: a forgotten
    ``-``) is named as such, not as an empty list.

    >>> lookup({"spec": {"containers": {"name": "a"}}}, "spec.containers[0].name")[1]
    "(no such item: spec.containers is a dict, not a list: a list's items start with '- ')"
    >>> lookup({"metadata": {"labels": "app=a"}}, "metadata.labels.app")[1]
    "(no such field: metadata.labels is a str, not a mapping of fields such as 'app: ...')"
    """
    here = ""
    for part in parse_path(path):
        where = here or "the object"
        if isinstance(part, int):
            if not isinstance(obj, list):
                return _MISSING, (f"(no such item: {where} is {_node_kind(obj)}, not a list: "
                                  f"a list's items start with '- ')")
            if part >= len(obj):
                return _MISSING, f"(no such item: {where} has {len(obj)} items)"
            obj, here = obj[part], f"{here}[{part}]"
        else:
            if not isinstance(obj, dict):
                return _MISSING, (f"(no such field: {where} is {_node_kind(obj)}, not a mapping of fields "
                                  f"such as '{part}: ...')")
            if part not in obj:
                return _MISSING, f"(no such field: {where} has no {part!r})"
            obj, here = obj[part], f"{here}.{part}" if here else part
    return obj, ""


def _node_kind(value: Any) -> str:
    """What a YAML value turned out to be: ``a dict``, ``a str``..., or ``empty (null)``."""
    return "empty (null)" if value is None else type_in_words(value)


def _load_documents(yaml_text: str) -> list:
    try:
        from k8slearn.kubectl.manifests import load_manifests
    except ImportError:
        import yaml

        return [doc for doc in yaml.safe_load_all(yaml_text) if doc is not None]
    return list(load_manifests(yaml_text))


@dataclass(frozen=True)
class Satisfies:
    """An expected value of :func:`check_manifest` that is a rule, not one value: the field must
    make ``test`` true (many right answers, such as any toleration list that tolerates a taint).

    >>> rule = Satisfies("has two items", lambda got: len(got or []) == 2)
    >>> print(check_manifest("apiVersion: v1\\nkind: Pod\\nspec:\\n  containers: [a]\\n", {"spec.containers": rule},
    ...                      server=False))
    ✘ 0/1 checks pass · 1 fails (Pod)
    ✘ spec.containers has two items
        expected: a value that has two items
        got:      ['a']
    """

    description: str
    test: Callable[[Any], bool]

    def __repr__(self) -> str:
        return f"a value that {self.description}"


def _same_image(path: str, wanted: Any, got: Any) -> bool:
    """``image: nginx:1.27`` and ``image: docker.io/library/nginx:1.27`` name the same image (the
    reference containerd pulls): an ``...image`` field may be written either way."""
    if not (path.endswith("image") and isinstance(wanted, str) and isinstance(got, str)):
        return False
    from k8slearn.kubelet.images import invalid_reason, normalize

    return not invalid_reason(got) and not invalid_reason(wanted) and normalize(wanted) == normalize(got)


class _Accepted:
    def __repr__(self) -> str:
        return "created (server dry run)"


_ACCEPTED = _Accepted()


def kubectl_refusal(doc: dict) -> str:
    """What ``kubectl apply -f -`` says about ``doc`` before it sends a request, or ``""``: its
    client-side validation (``apiVersion not set``) and its RESTMapping (``no matches for kind
    "DaemonSet" in version "extensions/v1beta1"``), as the simulated kubectl's builder does them.

    >>> old = {"apiVersion": "extensions/v1beta1", "kind": "DaemonSet", "metadata": {"name": "a"}}
    >>> for line in kubectl_refusal(old).split(" from "):
    ...     print(line)
    error: resource mapping not found for name: "a" namespace: ""
    "STDIN": no matches for kind "DaemonSet" in version "extensions/v1beta1"
    ensure CRDs are installed first

    Upstream: staging/src/k8s.io/cli-runtime/pkg/resource/mapper.go (infoForData: "resource mapping
    not found ... ensure CRDs are installed first"), staging/src/k8s.io/kubectl/pkg/validation
    (the "apiVersion not set" / "kind not set" checks)
    """
    from k8slearn.kubectl.builder import mapped_files
    from k8slearn.kubectl.errors import render
    from k8slearn.kubectl.manifests import go_json

    try:
        text = go_json(doc)
    except (TypeError, ValueError):  # not JSON at all: the API server's decoding says so
        return ""
    _, errors = mapped_files({"filename": ["-"]}, text, validate=True)
    return render(errors[0]).rstrip("\n") if errors else ""


def api_server_verdict(doc: dict) -> str:
    """What a fresh API server says to ``kubectl apply --dry-run=server`` of ``doc``: ``""`` if it
    would be created, else its error (decoding, strict field validation, validation).

    Before anything is sent, kubectl's own steps run (:func:`kubectl_refusal`): an object without
    ``apiVersion`` or ``kind``, or whose kind the server does not serve in that version (an old
    blog post's ``extensions/v1beta1`` DaemonSet), never reaches the API server.

    Only a refusal of the object itself counts (400 or 422): an error about the world it would
    land in (a service account the empty server does not have) is not the manifest's fault.

    The error reads as ``kubectl apply -f -`` prints it (``cmdutil.AddSourceToErr`` then ``checkErr``):
    a decoding error says ``error when creating "STDIN": ...``, a validation error lists the
    causes under ``The Pod "a" is invalid``.

    >>> api_server_verdict({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {}})
    'The Pod "a" is invalid: spec.containers: Required value'
    """
    from k8slearn.api.errors import ApiError
    from k8slearn.apiserver import APIServer
    from k8slearn.etcd import MVCCStore
    from k8slearn.kubectl.errors import add_source, render
    from k8slearn.sim import Loop

    refused = kubectl_refusal(doc)
    if refused:
        return refused
    client = APIServer(MVCCStore(), Loop(seed=0)).client("kubectl")
    meta = doc.get("metadata")
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    namespace = namespace if isinstance(namespace, str) and namespace else "default"
    try:
        client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    except ApiError:
        pass  # not a valid namespace name: the object's own create says so
    try:
        client.create(doc, namespace, dry_run=True, field_validation="Strict")
    except ApiError as err:
        return render(add_source("creating", "STDIN", err)).rstrip("\n") if err.code in (400, 422) else ""
    except Exception as exc:  # noqa: BLE001 - whatever the server trips on is the manifest's result
        return _raised(exc)
    return ""


def check_manifest(yaml_text: str, expect: dict | None, *, kind: str | None = None,
                   server: bool = True) -> CheckResult:
    """Check a manifest a student wrote: each key of ``expect`` is a dotted path
    (``spec.template.spec.containers[0].image``) and its value the value it must have, or a
    :class:`Satisfies` rule the value must pass. Last, unless ``server=False``, the API server
    must accept it (:func:`api_server_verdict`): a value of the wrong type, an unknown field or a
    selector that does not match the template's labels fails there, with the server's own text.

    The document checked is the first one of ``kind`` (or of ``expect["kind"]``), else the
    first document. A YAML error, or anything but YAML text, is reported as a failing check,
    never raised. ``expect=None`` is taken as ``{}``: only that the YAML holds an object is checked.

    >>> print(check_manifest("apiVersion: v1\\nkind: Pod\\nmetadata: {name: a}\\n", None, server=False))
    ✔ 0/0 checks pass (Pod)
    >>> print(check_manifest(None, {"kind": "Pod"}))
    ✘ 0/1 checks pass · 1 fails (manifest)
    ✘ kubectl can read the manifest
        expected: 'a manifest'
        got:      None; the manifest must be YAML text (a str)
    """
    if expect is None:
        expect = {}
    if not isinstance(expect, dict):
        raise TypeError(f"expect must be a dict of dotted paths to the values they must have (or None), "
                        f"not {type(expect).__name__}")
    kind = kind or expect.get("kind")
    if not isinstance(yaml_text, str):
        loaded = ", not the object loaded from it" if isinstance(yaml_text, (dict, list)) else ""
        error = f"{type_in_words(yaml_text)}; the manifest must be YAML text (a str){loaded}"
        outcome = Outcome("kubectl can read the manifest", False, "a manifest", error=error)
        return CheckResult("manifest", [outcome], noun="checks")
    try:
        docs = _load_documents(yaml_text)
    except Exception as exc:  # noqa: BLE001 - a YAML error is the student's result
        error = f"error: {exc}" if type(exc).__name__ == "ManifestError" else _raised(exc)
        outcome = Outcome("kubectl can read the manifest", False, "a manifest", error=error)
        return CheckResult("manifest", [outcome], noun="checks")
    found = [d for d in docs if isinstance(d, dict) and (kind is None or d.get("kind") == kind)]
    if not found:
        kinds = [d.get("kind") if isinstance(d, dict) else d for d in docs]
        wanted = f"a {kind}" if kind else "an object"
        outcome = Outcome(f"the YAML contains {wanted}", False, wanted, got=f"documents of kinds {kinds}")
        return CheckResult(kind or "manifest", [outcome], noun="checks")
    doc = found[0]
    outcomes = []
    for path, wanted in expect.items():
        got, missing = lookup(doc, path)
        if isinstance(wanted, Satisfies):
            label = f"{path} {wanted.description}"
            try:
                passed = bool(wanted.test(None if missing else got))
            except Exception:  # noqa: BLE001 - a malformed field fails the rule
                passed = False
            outcomes.append(Outcome(label, passed, wanted, None if missing else got, error=missing or None))
            continue
        label = f"{path} is {show_value(wanted, 80, pretty=False)}"
        if missing:
            outcomes.append(Outcome(label, False, wanted, error=missing))
        else:
            outcomes.append(Outcome(label, same(wanted, got) or _same_image(path, wanted, got), wanted, got))
    if server:
        verdict = api_server_verdict(doc)
        outcomes.append(Outcome("the API server accepts it (kubectl apply --dry-run=server)", not verdict,
                                _ACCEPTED, error=verdict or None))
    return CheckResult(kind or str(doc.get("kind", "manifest")), outcomes, noun="checks")


# -- clusters ----------------------------------------------------------------------------------


def check_cluster(
    cluster: Any, predicate_description: str, fn: Callable[[Any], Any], expected: Any = True
) -> CheckResult:
    """Verify the state of a cluster after an exercise: ``fn(cluster)`` must return a true
    value (or ``expected`` when one is given). An ApiError or any other exception is shown.

    >>> print(check_cluster(None, "two plus two is four", lambda c: 2 + 2, expected=5))
    ✘ 0/1 checks pass · 1 fails (cluster)
    ✘ two plus two is four
        expected: 5
        got:      4
    """
    try:
        got = fn(cluster)
    except Exception as exc:  # noqa: BLE001 - shown to the student, never raised
        outcome = Outcome(predicate_description, False, expected, error=_raised(exc))
    else:
        passed = bool(got) if expected is True else same(expected, got)
        outcome = Outcome(predicate_description, passed, expected, got)
    return CheckResult("cluster", [outcome], noun="checks")
