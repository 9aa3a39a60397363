"""Security contexts: which user a container's processes run as, and the kubelet's runAsNonRoot check.

A pod's ``securityContext`` sets what all its containers share; a container's own
``securityContext`` overrides it, field by field (DetermineEffectiveSecurityContext):

>>> pod = {"metadata": {"name": "demo", "namespace": "default", "uid": "u1"},
...        "spec": {"securityContext": {"runAsUser": 1000, "runAsGroup": 3000, "fsGroup": 2000}}}
>>> sorted(effective_security_context(pod, {"securityContext": {"runAsUser": 2000}}).items())
[('runAsGroup', 3000), ('runAsUser', 2000)]

The process runs as ``runAsUser`` (else the image's user), in group ``runAsGroup`` (else the user's
group in the image's /etc/passwd, 0 for a user it does not list), with the supplementary groups
the runtime gives it: the primary group, the groups of the image's /etc/group that list the user,
``fsGroup`` and ``supplementalGroups``, sorted, each once (what ``id`` prints):

>>> process_identity(pod, {"name": "app", "image": "busybox:1.28"})
(1000, 3000, (2000, 3000))
>>> process_identity({"spec": {}}, {"name": "app", "image": "busybox"})
(0, 0, (0, 10))

With ``runAsNonRoot: true`` the kubelet refuses to create a container that would run as root
(``CreateContainerConfigError``):

>>> verify_run_as_non_root({**pod, "spec": {"securityContext": {"runAsNonRoot": True}}},
...                        {"name": "web", "image": "nginx"})
'container has runAsNonRoot and image will run as root (pod: "demo_default(u1)", container: web)'

Simplified: an image's user is known for the images of :data:`IMAGE_USER` (the others, like most
images, set none and run as root); the users and groups in an image's /etc/passwd and /etc/group
are known for BusyBox and the Debian-based images only as far as :data:`NAMES` lists them;
``supplementalGroupsPolicy`` (alpha, off in v1.32), user namespaces, SELinux, capabilities,
``privileged`` and ``allowPrivilegeEscalation`` are stored and not enforced.

Upstream: pkg/securitycontext/util.go (DetermineEffectiveSecurityContext),
pkg/kubelet/kuberuntime/security_context_others.go (verifyRunAsNonRoot),
pkg/kubelet/kuberuntime/security_context.go (determineEffectiveSecurityContext: fsGroup and
supplementalGroups as supplemental groups), pkg/kubelet/kuberuntime/kuberuntime_container.go
(getImageUser: an image without a user runs as root), containerd internal/cri/opts/spec_linux.go
(WithAdditionalGIDs, WithSupplementalGroups, ensureAdditionalGids)
"""

from __future__ import annotations

from k8slearn.kubelet.images import normalize

# the fields a container's securityContext overrides in its pod's (those that both have and this
# simulation reads)
_OVERRIDDEN = ("runAsUser", "runAsGroup", "runAsNonRoot")
# repository -> the user its image config names (USER): a uid, or a name; an image without one runs as root
IMAGE_USER: dict[str, int | str] = {
    "registry.k8s.io/pause": 65535,  # USER 65535:65535
    "docker.io/nginxinc/nginx-unprivileged": 101,
    "docker.io/grafana/grafana": 472,
    "docker.io/prom/prometheus": "nobody",
    "docker.io/prom/node-exporter": "nobody",
}
# image family -> (uid -> user name, gid -> group name, gid -> the users its /etc/group lists):
# the ids of the image's /etc/passwd and /etc/group the simulation knows; an id from 1000 to 65533
# is in neither (see :func:`id_name`)
NAMES = {
    "busybox": ({0: "root"}, {0: "root", 10: "wheel"}, {10: ("root",)}),  # buildroot's skeleton
    "debian": ({0: "root"}, {0: "root"}, {}),  # base-passwd's /etc/passwd and /etc/group
}
DEBIAN_IMAGES = {"nginx", "debian"}  # the Debian-based images whose tools the simulation knows


class UnknownName(LookupError):
    """An id whose name in the image the simulation does not know (``str()``: what to say)."""


def effective_security_context(pod: dict, container: dict) -> dict:
    """DetermineEffectiveSecurityContext: the pod's runAsUser, runAsGroup and runAsNonRoot,
    each overridden by the container's own where it sets one."""
    effective = {}
    for source in ((pod.get("spec") or {}).get("securityContext") or {}, container.get("securityContext") or {}):
        for field in _OVERRIDDEN:
            if source.get(field) is not None:
                effective[field] = source[field]
    return effective


def image_user(image: str) -> tuple[int | None, str]:
    """getImageUser: (uid, "") for an image whose user is a number or that sets none (root,
    uid 0), (None, name) for one that names its user.

    >>> image_user("nginx"), image_user("registry.k8s.io/pause:3.10"), image_user("prom/prometheus")
    ((0, ''), (65535, ''), (None, 'nobody'))
    """
    repository = normalize(image).split("@")[0].rsplit(":", 1)[0]
    user = IMAGE_USER.get(repository, 0)
    return (user, "") if isinstance(user, int) else (None, user)


def verify_run_as_non_root(pod: dict, container: dict) -> str | None:
    """verifyRunAsNonRoot: why the kubelet refuses to create the container (its error), or None."""
    effective = effective_security_context(pod, container)
    if effective.get("runAsNonRoot") is not True:
        return None
    meta = pod.get("metadata") or {}
    where = f'(pod: "{meta.get("name", "")}_{meta.get("namespace", "")}({meta.get("uid", "")})", ' \
            f'container: {container.get("name", "")})'
    if effective.get("runAsUser") is not None:
        return f"container's runAsUser breaks non-root policy {where}" if effective["runAsUser"] == 0 else None
    uid, username = image_user(container.get("image", ""))
    if uid is None:
        return (f"container has runAsNonRoot and image has non-numeric user ({username}), "
                f"cannot verify user is non-root {where}")
    return f"container has runAsNonRoot and image will run as root {where}" if uid == 0 else None


def image_family(image: str) -> str | None:
    """The image's /etc/passwd family in :data:`NAMES` ("busybox", "debian"), or None if not known."""
    name = image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    return "busybox" if name == "busybox" else "debian" if name in DEBIAN_IMAGES else None


def process_identity(pod: dict, container: dict) -> tuple[int, int, tuple[int, ...]] | None:
    """(uid, gid, supplementary groups) of the container's processes, or None when the
    simulation does not know the image's users well enough to say."""
    image = container.get("image", "")
    family = image_family(image)
    if family is None:
        return None
    effective = effective_security_context(pod, container)
    uid = effective.get("runAsUser")
    if uid is None:
        uid = image_user(image)[0]  # (root: the BusyBox and Debian images set no user)
    if uid != 0 and not 1000 <= uid < 65534:  # a system user: its group and memberships are not known
        return None
    users, _, members = NAMES[family]
    gid = effective.get("runAsGroup")
    if gid is None:  # the user's group in the image's /etc/passwd: root's is 0, and 0 for a user it lacks
        gid = 0
    name = users.get(uid)
    groups = {gid} | {g for g, listed in members.items() if name in listed}
    pod_sc = (pod.get("spec") or {}).get("securityContext") or {}
    if pod_sc.get("fsGroup") is not None:
        groups.add(pod_sc["fsGroup"])
    groups.update(pod_sc.get("supplementalGroups") or ())
    return uid, gid, tuple(sorted(groups))


def id_name(kind: str, number: int, image: str) -> str | None:
    """The name of a user (``kind`` "user") or group in the image's files, None if it has none;
    raises :class:`UnknownName` where the simulation does not know.

    >>> id_name("user", 0, "busybox"), id_name("group", 3000, "nginx")
    ('root', None)
    """
    family = image_family(image)
    users, groups, _ = NAMES.get(family, ({}, {}, {}))
    known = users if kind == "user" else groups
    if number in known:
        return known[number]
    if family is not None and 1000 <= number < 65534:  # (neither image lists an id in that range)
        return None
    raise UnknownName(f"the name of {kind} {number} in the {image.split(':')[0]} image")
