"""Pod networking: CNI plugins (what the container runtime executes to wire a pod sandbox).

Upstream: github.com/containernetworking/cni (SPEC.md), github.com/containernetworking/plugins
"""
