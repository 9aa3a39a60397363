"""Cases for label selectors: does the selector string ``kubectl get pods -l ...`` takes match a
pod's labels?

Equality-based requirements (``app=web``, ``app==web``, ``app!=web``) and set-based ones
(``env in (prod, staging)``, ``env notin (prod)``, ``env``, ``!env``) are joined by commas,
and every requirement must hold. Two rules surprise people: ``!=`` and ``notin`` also match a
pod that does not have the key at all, and the empty selector matches everything.

>>> SELECTOR_MATCHES["a notin selector matches a pod that lacks the key"].args
('env notin (prod)', {'app': 'web'})

Simplified: only the selector grammar kubectl users write; the ``gt``/``lt`` operators of
node-affinity expressions are left out.

Upstream: staging/src/k8s.io/apimachinery/pkg/labels/selector.go (Parse, Requirement.Matches)
"""

from __future__ import annotations

from k8slearn.course.cases.table import Case, CaseTable

WEB = {"app": "web", "tier": "frontend"}

SELECTOR_MATCHES = CaseTable(
    name="labels.selector_matches",
    signature="selector_matches(selector: str, labels: dict) -> bool",
    description="Whether a label selector string (as in kubectl -l) matches a pod's labels.",
    cases=[
        Case("an equality selector matches a pod with that label", ("app=web", WEB), True),
        Case("a double equals sign means the same as a single one", ("app==web", WEB), True),
        Case("an equality selector does not match a different value", ("app=db", WEB), False),
        Case(
            "every comma-separated requirement must hold",
            ("app=web,tier=backend", WEB),
            False,
        ),
        Case("a not-equals selector matches a pod that lacks the key", ("env!=prod", WEB), True),
        Case("a not-equals selector rejects the excluded value", ("tier!=frontend", WEB), False),
        Case(
            "an in selector matches any value in its set",
            ("env in (prod, staging)", {"app": "web", "env": "staging"}),
            True,
        ),
        Case("an in selector does not match a value outside its set",
             ("env in (prod, staging)", {"app": "web", "env": "dev"}), False),
        Case("an in selector never matches a pod that lacks the key", ("env in (prod)", WEB), False),
        Case("a notin selector matches a pod that lacks the key", ("env notin (prod)", {"app": "web"}), True),
        Case("a notin selector matches a pod whose value is outside its set",
             ("env notin (prod, staging)", {"app": "web", "env": "dev"}), True),
        Case("a notin selector rejects a pod whose value is in its set",
             ("env notin (prod, staging)", {"app": "web", "env": "prod"}), False),
        Case("an exists selector matches a label with an empty value", ("canary", {"canary": ""}), True),
        Case("an exists selector does not match a pod without the key", ("canary", WEB), False),
        Case("a does-not-exist selector matches a pod without the key", ("!canary", WEB), True),
        Case("the empty selector matches every pod", ("", WEB), True),
    ],
)
