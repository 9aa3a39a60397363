"""The reviews a client asks about itself: who am I (SelfSubjectReview), may I (SelfSubjectAccessReview).

Neither is stored: the API server answers from the request's user, as its authenticator found it.
kubectl connects with kubeadm's ``admin.conf``, whose client certificate names the user
``kubernetes-admin`` in the group ``kubeadm:cluster-admins`` (kubeadm v1.29+); every authenticated
request also gets the group ``system:authenticated``:

>>> self_subject_review("kubectl", "2026-11-28T13:00:00Z")["status"]
{'userInfo': {'username': 'kubernetes-admin', 'groups': ['kubeadm:cluster-admins', 'system:authenticated']}}

kubeadm binds ``kubeadm:cluster-admins`` to the ClusterRole ``cluster-admin`` (every verb on every
resource and URL), so whatever that user asks about is allowed:

>>> spec = {"resourceAttributes": {"verb": "delete", "resource": "nodes"}}
>>> self_subject_access_review("kubectl", spec)["status"]
{'allowed': True}

Simplified: no RBAC objects are modelled, so the answer is worked out from the group alone (a
member of ``kubeadm:cluster-admins`` or ``system:masters`` may do anything, anyone else nothing);
the RBAC authorizer's reason text is not given.

Upstream: pkg/registry/authentication/selfsubjectreview/rest.go (REST.Create),
pkg/registry/authorization/selfsubjectaccessreview/rest.go (REST.Create),
staging/src/k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go,
cmd/kubeadm/app/constants/constants.go (ClusterAdminsGroupAndClusterRoleBinding)
"""

from __future__ import annotations

__all__ = ["USERS", "self_subject_access_review", "self_subject_review", "user_info"]

AUTHENTICATED = "system:authenticated"
# The user each client's credentials name: (username, groups of its certificate).
USERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kubectl": ("kubernetes-admin", ("kubeadm:cluster-admins",)),
    "kube-scheduler": ("system:kube-scheduler", ()),
    "kube-controller-manager": ("system:kube-controller-manager", ()),
}
# The groups bound to cluster-admin (kubeadm's ClusterRoleBinding, and the bootstrap one).
CLUSTER_ADMIN_GROUPS = frozenset({"kubeadm:cluster-admins", "system:masters"})


def user_info(actor: str) -> dict:
    """The UserInfo of a client's requests: its certificate's user and groups, then system:authenticated."""
    username, groups = USERS.get(actor, (actor, ()))
    return {"username": username, "groups": [*groups, AUTHENTICATED]}


def self_subject_review(actor: str, now: str) -> dict:
    """SelfSubjectReview REST.Create: the request's own user, stamped with the time it was made."""
    return {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": now}, "status": {"userInfo": user_info(actor)}}


def self_subject_access_review(actor: str, spec: dict) -> dict:
    """SelfSubjectAccessReview REST.Create: may the request's user do what ``spec`` describes
    (``resourceAttributes`` or ``nonResourceAttributes``)?"""
    allowed = not CLUSTER_ADMIN_GROUPS.isdisjoint(user_info(actor)["groups"])
    return {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": None}, "spec": spec, "status": {"allowed": allowed}}
