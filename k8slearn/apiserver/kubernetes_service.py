"""kube-apiserver's kubernetes service controller: ``default/kubernetes`` and its endpoints.

The API server creates the Service ``kubernetes`` (the ClusterIP that pods reach the API server
at, ``KUBERNETES_SERVICE_HOST``), its Endpoints and its EndpointSlice, naming the API server's own
address, when it
starts; every 10 seconds it checks them again and creates whichever is missing, so a deleted
``kubernetes`` Service comes back.

Simplified: the check reads the API server's watch cache directly (upstream: the master lease
reconciler and the Service's own client), so it writes nothing unless it creates something; one
API server, so the endpoints name one address.

Upstream: pkg/controlplane/controller/kubernetesservice/controller.go (UpdateKubernetesService,
CreateOrUpdateMasterServiceIfNeeded), pkg/controlplane/reconcilers (the endpoints)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError

INTERVAL = 10.0  # EndpointInterval: how often the Service and its endpoints are checked


def kubernetes_service(cluster_ip: str) -> dict:
    """The Service the API server is reached at from inside the cluster."""
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": cluster_ip,
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}}


def kubernetes_endpoints(address: str) -> dict:
    """Its Endpoints: the API server's own address and secure port (not mirrored to a slice)."""
    return {"apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": address}],
                         "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}


def kubernetes_endpoint_slice(address: str) -> dict:
    """Its EndpointSlice, as the EndpointsAdapter makes it from the Endpoints (endpointSliceFromEndpoints):
    the same name, the service-name label, the address ready, the ports."""
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": [address], "conditions": {"ready": True}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}


class KubernetesService:
    """Creates ``default/kubernetes``, its Endpoints and EndpointSlice now, and again whenever one is missing."""

    def __init__(self, loop: Any, apiserver: Any, cluster_ip: str, address: str) -> None:
        self.loop, self.apiserver = loop, apiserver
        self.client = apiserver.client("kube-apiserver")
        self.objects = (("services", kubernetes_service(cluster_ip)), ("endpoints", kubernetes_endpoints(address)),
                        ("endpointslices", kubernetes_endpoint_slice(address)))

    def ensure(self) -> None:
        """UpdateKubernetesService: create whichever of the three is missing."""
        for resource, obj in self.objects:
            if self.apiserver.lister.get(resource, "default", "kubernetes") is None:
                try:
                    self.client.create(obj)
                except ApiError as err:
                    if err.code != 409:  # (a deletion not finished: the next check creates it)
                        raise

    def start(self) -> KubernetesService:
        self.ensure()
        self.loop.spawn(self._run(), "kube-apiserver/kubernetes-service", periodic=True)
        return self

    def _run(self):
        while True:
            yield INTERVAL
            self.ensure()
