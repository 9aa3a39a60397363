"""kube-apiserver: verbs, admission, per-resource strategies, the watch cache and watches.

``APIServer(store, loop)`` serves every resource of ``k8slearn.api.resources``; components talk
to it through a ``Client`` (``server.client("kube-scheduler")``), whose requests are traced under
the component's name. The modules follow the real server's packages: ``server`` (the request
handlers), ``request_scope`` and ``request_trace`` (resolving and tracing a request),
``rest_client`` (``Client``), ``binding`` (pods/binding), ``registry`` and ``strategy`` (generic
registry store and per-kind rules), ``admission`` (plugins), ``allocators`` (Service ClusterIPs
and NodePorts), ``patch`` (the three patch types), ``cacher``, ``watch_cache`` and
``watch_cache_decode`` (the watch cache) and ``watch``.

Upstream: staging/src/k8s.io/apiserver, pkg/registry, plugin/pkg/admission (kubernetes/kubernetes)
"""

from k8slearn.apiserver.rest_client import Client
from k8slearn.apiserver.server import APIServer
from k8slearn.apiserver.watch import Watch

__all__ = ["APIServer", "Client", "Watch"]
