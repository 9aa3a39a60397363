"""Image references and the simulated registry: which images exist and how big they are.

An image name in a pod spec is a *reference*. Short names are normalised the way containerd and
Docker do it: ``nginx`` → ``docker.io/library/nginx:latest``.

>>> normalize("nginx"), normalize("nginx:1.27"), normalize("registry.k8s.io/pause:3.10")
('docker.io/library/nginx:latest', 'docker.io/library/nginx:1.27', 'registry.k8s.io/pause:3.10')
>>> invalid_reason("NGINX")
'invalid reference format: repository name (library/NGINX) must be lowercase'
>>> find("nginxx") is None, find("nginx:1.27").size
(True, 72404038)

>>> find("nginx:1.161") is None, find("nginx:1.14.2") is not None, find("nginx:stable-alpine") is not None
(True, True, True)
>>> find("nginx:lastest") is None, find("nginx:1.27-alpinee") is None
(True, True)
>>> find("nginx:1.27.3-alpine3.20-slim") is not None
True

Simplified: the "registry" is this table; any tag of a known repository exists (for nginx and
BusyBox, any version up to the newest release, made of the words their tags use), with the same size; digests are derived from the
reference so they are stable.

Upstream: github.com/distribution/reference (normalize.go, regexp.go);
pkg/kubelet/images/image_manager.go (applyDefaultImageTag)
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

# repository -> compressed size in bytes (close to the real images on Docker Hub / registry.k8s.io)
REGISTRY = {
    "docker.io/library/nginx": 72_404_038,
    "docker.io/library/busybox": 2_155_000,
    "docker.io/library/alpine": 3_653_068,
    "docker.io/library/redis": 45_938_219,
    "docker.io/library/httpd": 58_286_409,
    "docker.io/library/python": 51_002_117,
    "docker.io/library/ubuntu": 29_754_422,
    "docker.io/library/debian": 48_481_890,
    "docker.io/library/postgres": 158_123_456,
    "docker.io/library/node": 398_470_001,
    "docker.io/library/perl": 330_000_000,  # about; the documentation's Job example (perl:5.34.0)
    "registry.k8s.io/pause": 320_368,
    "registry.k8s.io/e2e-test-images/agnhost": 51_105_200,
    "registry.k8s.io/busybox": 1_144_547,  # the documentation's probe examples
    "registry.k8s.io/goproxy": 2_596_352,
    "registry.k8s.io/nginx-slim": 53_870_123,  # the StatefulSet tutorial's web server
    "registry.k8s.io/kube-proxy": 30_908_310,
    "registry.k8s.io/coredns/coredns": 18_562_039,
    "ghcr.io/flannel-io/flannel": 32_201_734,
    "docker.io/fluent/fluentd": 48_720_100,
    "quay.io/fluentd_elasticsearch/fluentd": 140_000_000,  # about; the documentation's DaemonSet example
    "gcr.io/google-samples/kubernetes-bootcamp": 80_000_000,  # about; the Kubernetes Basics tutorial
    "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend": 120_000_000,  # about; the ReplicaSet example
    "gcr.io/google_samples/gb-frontend": 130_000_000,  # about; the ReplicaSet example up to v1.28 (:v3)
    "gcr.io/google-samples/hello-app": 11_000_000,  # about; the ReplicaSet page's bare pods
    "docker.io/library/bash": 5_000_000,  # about; the Job pod failure policy examples
    "docker.io/prom/node-exporter": 12_230_500,
    "registry.k8s.io/etcd": 57_000_000,  # about; the gRPC liveness probe example (etcd:3.5.1-0)
    "docker.io/polinux/stress": 4_000_000,  # about; the memory resource examples
    "docker.io/vish/stress": 2_400_000,  # about; the CPU resource examples
    "gcr.io/google_containers/busybox": 1_100_000,  # about; the ConfigMap optional-key example
    # about; images the Kubernetes documentation's tutorials and common guides run
    "docker.io/curlimages/curl": 9_800_000,
    "docker.io/nicolaka/netshoot": 180_000_000,
    "docker.io/library/mysql": 170_000_000,  # the WordPress and MySQL tutorial (mysql:8.0)
    "docker.io/library/wordpress": 250_000_000,  # the same tutorial (wordpress:6.2.1-apache)
    "docker.io/library/mariadb": 120_000_000,
    "docker.io/library/mongo": 260_000_000,
    "docker.io/library/memcached": 32_000_000,
    "docker.io/library/rabbitmq": 90_000_000,
    "docker.io/library/tomcat": 150_000_000,
    "docker.io/library/haproxy": 40_000_000,
    "docker.io/library/caddy": 20_000_000,
    "docker.io/library/traefik": 50_000_000,
    "docker.io/library/registry": 10_000_000,
    "docker.io/hashicorp/http-echo": 3_500_000,
    "docker.io/traefik/whoami": 3_000_000,
    "docker.io/kennethreitz/httpbin": 200_000_000,
    "docker.io/nginxinc/nginx-unprivileged": 70_000_000,
    "docker.io/prom/prometheus": 100_000_000,
    "docker.io/grafana/grafana": 140_000_000,
    "registry.k8s.io/echoserver": 46_000_000,  # the Service and Ingress tutorials (echoserver:1.10)
    "registry.k8s.io/hpa-example": 180_000_000,  # the HorizontalPodAutoscaler walkthrough's php-apache
    "gcr.io/kuar-demo/kuard-amd64": 10_000_000,  # Kubernetes: Up and Running's demo
}

# Repositories whose tags are checked (else any tag of a known repository exists): a version past
# the newest release is not found, as the Deployment documentation's mistyped ``nginx:1.161`` is
# not, and neither is a word tag made of words the repository does not use (``nginx:lastest``,
# ``nginx:doesnotexist``, ``1.27-alpinee``); ``latest``, ``stable-alpine``, ``1.27-bookworm`` exist.
_VERSION_TAG = (r"(?:(?P<major>\d+)(?:\.(?P<minor>\d+))?(?:\.\d{1,3})?(?:-(?P<suffix>[a-z0-9._-]+))?"
                r"|(?P<words>[a-z][a-z0-9._-]*))")
NEWEST = {  # repository -> (newest major, newest minor of that major), late 2026
    "docker.io/library/nginx": (1, 31),
    "docker.io/library/busybox": (1, 37),
}
TAG_WORDS = {  # the words their tags are made of (a word may carry a version: alpine3.20)
    "docker.io/library/nginx": {"latest", "stable", "mainline", "alpine", "slim", "perl", "otel", "bookworm",
                                "bullseye", "trixie"},
    "docker.io/library/busybox": {"latest", "stable", "unstable", "musl", "glibc", "uclibc"},
}


def _known_words(repo: str, text: str) -> bool:
    return all(re.sub(r"[0-9.]+$", "", part) in TAG_WORDS[repo] for part in text.split("-"))


def _tag_exists(repo: str, tag: str) -> bool:
    newest = NEWEST.get(repo)
    if newest is None:
        return True
    match = re.fullmatch(_VERSION_TAG, tag)
    if match is None:
        return False
    if match.group("major") is None:
        return _known_words(repo, match.group("words"))
    major, minor = int(match.group("major")), int(match.group("minor") or 0)
    suffix = match.group("suffix")
    return (major, minor) <= newest and (suffix is None or _known_words(repo, suffix))


_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")


@dataclass(frozen=True)
class Image:
    ref: str  # docker.io/library/nginx:latest
    size: int  # bytes
    image_id: str  # sha256:<64 hex> (the image config digest)
    repo_digest: str  # docker.io/library/nginx@sha256:<64 hex>


def _split(image: str) -> tuple[str, str, str]:
    """(domain, path, tag) with Docker Hub defaults applied."""
    name, tag = image, "latest"
    if "@" in name:
        name = name.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        domain, path = first, rest
    else:
        domain, path = "docker.io", name
    if domain == "docker.io" and "/" not in path:
        path = f"library/{path}"
    return domain, path, tag


@functools.lru_cache(maxsize=1024)
def normalize(image: str) -> str:
    """The fully qualified reference containerd pulls (remembered per name: a pure function)."""
    domain, path, tag = _split(image)
    return f"{domain}/{path}:{tag}"


@functools.lru_cache(maxsize=1024)
def invalid_reason(image: str) -> str | None:
    """Why a reference cannot be parsed (the kubelet's InvalidImageName), or None (remembered per name)."""
    if not image or image != image.strip():
        return "invalid reference format"
    domain, path, tag = _split(image)
    if path.lower() != path:
        return f"invalid reference format: repository name ({path}) must be lowercase"
    if not all(_COMPONENT.match(part) for part in path.split("/")) or not re.match(
        r"^[\w][\w.-]{0,127}$", tag
    ):
        return "invalid reference format"
    return _invalid_digest(image.partition("@")[2]) if "@" in image else None


_DIGEST = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}")
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}  # go-digest's available algorithms


def _invalid_digest(digest: str) -> str | None:
    """reference.Parse's digest part (``@sha256:<64 hex>``), then go-digest's Digest.Validate.

    >>> _invalid_digest("sha256:abc"), _invalid_digest("sha256:" + "a" * 32), _invalid_digest("md5:" + "a" * 32)
    ('invalid reference format', 'invalid checksum digest length', 'unsupported digest algorithm')
    >>> _invalid_digest("sha256:" + "A" * 64), _invalid_digest("sha256:" + "a" * 64)
    ('invalid checksum digest format', None)
    """
    if not _DIGEST.fullmatch(digest):
        return "invalid reference format"
    algorithm, _, encoded = digest.partition(":")
    if algorithm not in _DIGEST_LENGTHS:
        return "unsupported digest algorithm"
    if len(encoded) != _DIGEST_LENGTHS[algorithm]:
        return "invalid checksum digest length"
    return None if re.fullmatch(r"[a-f0-9]+", encoded) else "invalid checksum digest format"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=1024)
def find(image: str) -> Image | None:
    """The image in the simulated registry, or None if no such repository exists.

    Remembered per name (the registry table is fixed and :class:`Image` is immutable), so
    the digests of an image are hashed once, not once per node that caches it.
    """
    ref = normalize(image)
    repo = ref.rsplit(":", 1)[0]
    size = REGISTRY.get(repo)
    if size is None or not _tag_exists(repo, ref.rsplit(":", 1)[1]):
        return None
    return Image(
        ref, size, f"sha256:{_digest('config/' + ref)}", f"{repo}@sha256:{_digest('manifest/' + ref)}"
    )


def repository_exists(image: str) -> bool:
    """Whether the registry has the image's repository at all (its tag may still be missing).

    >>> repository_exists("nginx:doesnotexist"), repository_exists("nginxx")
    (True, False)
    """
    return normalize(image).rsplit(":", 1)[0] in REGISTRY


def lookup(image: str) -> Image:
    """Like :func:`find` but the image must exist."""
    found = find(image)
    if found is None:
        raise KeyError(image)
    return found
