"""The StatefulSet controller: pods ``<set>-0``, ``<set>-1``, ... with stable names, made, deleted and
updated in ordinal order.

Upstream: pkg/controller/statefulset/
"""

from k8slearn.controllers.statefulset.controller import StatefulSetController

__all__ = ["StatefulSetController"]
