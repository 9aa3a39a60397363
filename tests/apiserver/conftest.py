"""Fixtures for the API server tests: a fresh server with the default and kube-system namespaces."""

from __future__ import annotations

import pytest
from apiserver_builders import new_server

from k8slearn.apiserver import APIServer


@pytest.fixture
def server() -> APIServer:
    return new_server()


@pytest.fixture
def api(server):
    return server.client("kubectl")
