"""A simulated kubectl v1.32: the same commands, flags, tables, errors and exit codes.

``Kubectl(client, now).run("get pods")`` returns a :class:`Result` (stdout, stderr, code) with
what the real kubectl would print against the same objects.

Upstream: kubernetes/kubectl (staging/src/k8s.io/kubectl), k8s.io/cli-runtime
"""

from k8slearn.kubectl.cli import Kubectl, Result
from k8slearn.kubectl.manifests import ManifestError, load_manifests

__all__ = ["Kubectl", "Result", "load_manifests", "ManifestError"]
