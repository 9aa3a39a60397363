"""The service account controller: a ``default`` ServiceAccount in every namespace.

Every pod runs as a ServiceAccount, ``default`` unless it names another. This controller watches
namespaces and ServiceAccounts, and whenever an active namespace has no ``default`` account (it was
just created, or someone deleted the account) it creates one:

>>> missing_accounts({"default", "builder"}, wanted=("default",))
[]
>>> missing_accounts(set(), wanted=("default",))
['default']

Simplified: no token Secrets (none since v1.24: pods get short-lived tokens through a projected
volume, which the simulation does not add either).

Upstream: pkg/controller/serviceaccount/serviceaccounts_controller.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.controllers.base import Controller

ACCOUNTS_TO_ENSURE = ("default",)


def missing_accounts(existing: set[str], wanted: tuple[str, ...] = ACCOUNTS_TO_ENSURE) -> list[str]:
    """The accounts of ``wanted`` not in ``existing``."""
    return [name for name in wanted if name not in existing]


class ServiceAccountsController(Controller):
    """Ensures the ``default`` ServiceAccount in every active namespace."""

    name = "serviceaccount-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.namespaces = self.informers.informer("namespaces")
        self.accounts = self.informers.informer("serviceaccounts")
        self.namespaces.add_event_handler(on_add=self.enqueue, on_update=lambda old, new: self.enqueue(new))
        self.accounts.add_event_handler(on_delete=self._account_deleted)

    def _account_deleted(self, account: dict) -> None:
        self.queue.add(account["metadata"]["namespace"])

    def sync(self, namespace: str) -> None:
        """syncNamespace: create the missing accounts of an active namespace."""
        ns = self.namespaces.lister.get(namespace)
        if ns is None or (ns.get("status") or {}).get("phase", "Active") != "Active":
            return
        existing = {a["metadata"]["name"] for a in self.accounts.lister.list(namespace=namespace)}
        for name in missing_accounts(existing):
            try:
                self.client.create({"apiVersion": "v1", "kind": "ServiceAccount",
                                    "metadata": {"name": name, "namespace": namespace}}, namespace)
            except ApiError as err:
                # already there, or the namespace went away or is being terminated: nothing to do
                if err.code not in (403, 404, 409):
                    raise
