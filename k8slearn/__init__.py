"""k8slearn: a small, faithful, deterministic Kubernetes cluster to learn from.

>>> from k8slearn import Cluster
>>> cluster = Cluster(workers=1, seed=0)
>>> cluster.api.get("namespaces", "kube-system")["status"]["phase"]
'Active'

The package mirrors the real binaries: ``etcd/``, ``apiserver/``, ``kubelet/``, ``kubectl/``...
Importing it stays light: matplotlib and ipywidgets load only when a picture or widget is made.
"""

from k8slearn.api.errors import ApiError
from k8slearn.cluster import Cluster, current, use
from k8slearn.kubectl.manifests import load_manifests

__all__ = ["ApiError", "Cluster", "current", "load_manifests", "use", "load_ipython_extension"]
__version__ = "0.1.0"


def load_ipython_extension(ipython):  # pragma: no cover - exercised in notebooks
    """``%load_ext k8slearn``: adds the ``%kubectl`` and ``%%kubectl`` magics."""
    from k8slearn.kubectl.magic import load_ipython_extension as load

    load(ipython)
