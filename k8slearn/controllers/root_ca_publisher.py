"""The root CA certificate publisher: a ``kube-root-ca.crt`` ConfigMap in every namespace.

A program in a pod that talks to the API server (``https://kubernetes.default.svc``) must check
the server's certificate, so it needs the cluster's CA certificate. kube-controller-manager
publishes it in every namespace as the ConfigMap ``kube-root-ca.crt`` (key ``ca.crt``), and puts
it back when it is deleted or changed:

>>> ROOT_CA.splitlines()[0], len(ROOT_CA.splitlines())
('-----BEGIN CERTIFICATE-----', 19)

Simplified: the simulated cluster has no PKI of its own. Every cluster publishes the same real
certificate, made once the way kubeadm makes its CA (RSA 2048, ``CN=kubernetes``, valid for ten
years from the simulation's first day, 2026-01-05); ``openssl x509 -text`` reads it, but its key
is not kept anywhere.

Upstream: pkg/controller/certificates/rootcacertpublisher/publisher.go,
staging/src/k8s.io/client-go/util/cert/cert.go (NewSelfSignedCACert)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.controllers.base import Controller

ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
DESCRIPTION_ANNOTATION = "kubernetes.io/description"
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
               "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
               "guaranteed across distributions of Kubernetes clusters.")
ROOT_CA = """-----BEGIN CERTIFICATE-----
MIIDBTCCAe2gAwIBAgIIPglS9yMym3UwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE
AwwKa3ViZXJuZXRlczAeFw0yNjAxMDUwODU1MDBaFw0zNjAxMDMwOTAwMDBaMBUx
EzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK
AoIBAQCZmPDSp8AWN/1CQ1bRNPROY7uSUwxJdXqrym4HJEbPiz0EjPswQmO2sEAY
CFtdiaxzMO63g+LfqlTtFfVIyPNRh7eJ5h1dvZVSeeZWWJaHK0tsL3yFuBdKVS48
iPonSuzBPWsJ6ECO/isz82HCfX+4jxaO5fI4PgWQ+Eevgn4t5WM+rHPWtOmVWDWW
wxmRZoas842mCfM7xkrTQGd+lmQyQGfHTvGon1YGUmF4B5G8Wfm06zHaaqzERWPW
mw0OmDEWv2MwL3hgpoCmVTRLtY04l8cLP81EBHCu/caeivoQT0yjuxymNzHF+JpQ
y8FQ9DN+9L0/xq0vy7eeZKXDvBy7AgMBAAGjWTBXMA4GA1UdDwEB/wQEAwICpDAP
BgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBSNZCIpUDJj1Fd2HkQn8pQuxNPgljAV
BgNVHREEDjAMggprdWJlcm5ldGVzMA0GCSqGSIb3DQEBCwUAA4IBAQBA+DXwVxjb
WuNYDBQFNRE9HQLdY/C7+zJvIU50ilQz66CqnzAdW6rc0k1oE5A9iRh1HpdcL2ZD
mpekU/bloQf7kCR7VQUSTEbWMSZNT+BFcKtxBvZKRfch3qjW3ZV+MmcESkfd5gRl
H1isgGywi+lxGWgqoDK36FwujMSFQM2CLoqbJpzzq0D6v3KHoowHL9rvtio4JEeS
lGV+DGV4Jc5Uf1tMcRpYJARgHSNByEmR1WIxdMAsLfDYnktBfekKYw1xV9K1wHWL
G0SJpQqmL4DUyF5Nl5+C2XAtS0jKVUoluWv1Bp1g4kvOuTSESkiTSe7YbSPVrHmx
se/k8Rlazg8g
-----END CERTIFICATE-----
"""


class RootCACertPublisher(Controller):
    """Keeps ``kube-root-ca.crt`` (the CA bundle and its description) in every namespace."""

    name = "root-ca-cert-publisher"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.root_ca = ROOT_CA
        self.namespaces = self.informers.informer("namespaces")
        self.configmaps = self.informers.informer("configmaps")
        self.namespaces.add_event_handler(on_add=self.enqueue, on_update=self._namespace_updated)
        self.configmaps.add_event_handler(on_update=lambda old, new: self._configmap_changed(new),
                                          on_delete=self._configmap_changed)

    def _namespace_updated(self, old: dict, new: dict) -> None:
        if (new.get("status") or {}).get("phase", "Active") == "Active":
            self.enqueue(new)

    def _configmap_changed(self, cm: dict) -> None:
        if cm["metadata"]["name"] == ROOT_CA_CONFIGMAP:
            self.queue.add(cm["metadata"]["namespace"])

    def sync(self, namespace: str) -> None:
        """syncNamespace: create the ConfigMap, or put its data and description back."""
        data = {"ca.crt": self.root_ca}
        cm = self.configmaps.lister.get(ROOT_CA_CONFIGMAP, namespace)
        if cm is None:
            try:
                self.client.create({"apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": {"name": ROOT_CA_CONFIGMAP, "namespace": namespace,
                                                 "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION}},
                                    "data": data}, namespace)
            except ApiError as err:
                if err.code not in (403, 404, 409):  # the namespace is gone or terminating; or a race
                    raise
            return
        annotations = cm["metadata"].get("annotations") or {}
        if cm.get("data") == data and annotations.get(DESCRIPTION_ANNOTATION):
            return
        self.client.update({**cm, "metadata": {**cm["metadata"],
                                               "annotations": {**annotations, DESCRIPTION_ANNOTATION: DESCRIPTION}},
                            "data": data})
