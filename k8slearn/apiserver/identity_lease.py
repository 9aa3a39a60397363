"""kube-apiserver's identity Lease: ``kube-system/apiserver-<hash>``, renewed every 10 seconds.

Every kube-apiserver announces that it is alive with a Lease in ``kube-system`` (the
APIServerIdentity feature, on by default since v1.26). The Lease's name is ``apiserver-`` and a
hash of the host name; its holder is that name and the UUID of the running process; it lasts an
hour, and the API server renews it every 10 seconds, as a kubelet renews its node's Lease. So
``kubectl get leases -n kube-system`` lists it beside the leader-election Leases of
kube-controller-manager and kube-scheduler (a Lease only says who is alive; what it is for is
the reader's business).

>>> apiserver_id("control-plane")
'apiserver-6vzvajxlkf7lcarzgdc4jnyaru'

Simplified: one API server, so the garbage collection of other API servers' expired identity
Leases (every hour) has nothing to do and is not simulated.

Upstream: staging/src/k8s.io/apiserver/pkg/server/config.go (the ID), pkg/controlplane/apiserver/server.go
(the post-start hook start-kube-apiserver-identity-lease-controller),
staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go (create, then renew)
"""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import micro_timestamp

LEASE_DURATION_SECONDS = 3600  # IdentityLeaseDurationSeconds
RENEW_INTERVAL = 10.0  # IdentityLeaseRenewIntervalPeriod
COMPONENT_LABEL = "apiserver.kubernetes.io/identity"  # IdentityLeaseComponentLabelKey


def apiserver_id(hostname: str, component: str = "kube-apiserver") -> str:
    """``apiserver-`` and the first 16 bytes of the SHA-256 of the host name and the component
    (each with its length before it, as two big-endian bytes), in lower-case base32 without padding."""
    data = b"".join(struct.pack(">H", len(part)) + part for part in (hostname.encode(), component.encode()))
    digest = hashlib.sha256(data).digest()[:16]
    return "apiserver-" + base64.b32encode(digest).decode().rstrip("=").lower()


class IdentityLease:
    """Creates the API server's identity Lease now and renews it every 10 seconds."""

    def __init__(self, loop: Any, apiserver: Any, hostname: str) -> None:
        self.loop = loop
        self.client = apiserver.client("kube-apiserver")
        self.name = apiserver_id(hostname)
        self.holder = f"{self.name}_{loop.new_uid()}"  # this process: a new one after a restore
        self.labels = {COMPONENT_LABEL: "kube-apiserver", "kubernetes.io/hostname": hostname}
        self.lease: dict | None = None

    def start(self) -> IdentityLease:
        self.renew()
        self.loop.spawn(self._run(), "kube-apiserver/identity-lease", periodic=True)
        return self

    def _run(self):
        while True:
            yield RENEW_INTERVAL
            self.renew()

    def renew(self) -> None:
        """The lease controller's sync: update the Lease it last wrote; get it again when that fails
        (changed or deleted behind its back), and create it when it is not there."""
        now = micro_timestamp(self.loop.now)
        if self.lease is not None:
            self.lease["spec"].update(holderIdentity=self.holder, renewTime=now)
            self.lease["metadata"].setdefault("labels", {}).update(self.labels)
            try:
                self.lease = self.client.update(self.lease)
                return
            except ApiError:
                self.lease = None
        try:
            lease = self.client.get("leases", self.name, "kube-system")
        except ApiError as err:
            if err.code != 404:
                raise
            lease = None
        spec = {"holderIdentity": self.holder, "leaseDurationSeconds": LEASE_DURATION_SECONDS, "renewTime": now}
        try:
            if lease is None:
                self.lease = self.client.create({
                    "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": {"name": self.name, "namespace": "kube-system", "labels": dict(self.labels)},
                    "spec": spec})
            else:
                lease["spec"].update(spec)
                lease["metadata"].setdefault("labels", {}).update(self.labels)
                self.lease = self.client.update(lease)
        except ApiError:  # (kube-system being deleted, say): the next renewal tries again
            self.lease = None
