"""The files the kubelet writes for a pod and mounts into every container: /etc/hosts,
/etc/resolv.conf (through the runtime) and /etc/hostname.

Every container of a pod sees the same three files, which is why ``kubectl exec web -c nginx --
cat /etc/hosts`` and the same command in a sidecar print the same lines: one file of each for the
pod, bind-mounted into every container, so a line one container appends the others read (the
kubelet writes /etc/hosts again when it creates a container). The hosts file names the
pod's own IP; a pod with ``spec.subdomain`` also gets its fully qualified name, and
``spec.hostAliases`` add lines at the end:

>>> pod = {"metadata": {"name": "web-0", "namespace": "shop"},
...        "spec": {"hostname": "web-0", "subdomain": "nginx", "dnsPolicy": "ClusterFirst"}}
>>> hosts_file(pod, ["10.244.1.5"]).splitlines()
['# Kubernetes-managed hosts file.', '127.0.0.1\\tlocalhost', '::1\\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\\tip6-localnet', 'fe00::0\\tip6-mcastprefix', 'fe00::1\\tip6-allnodes', 'fe00::2\\tip6-allrouters', '10.244.1.5\\tweb-0.nginx.shop.svc.cluster.local\\tweb-0']
>>> print(resolv_conf(pod), end="")
search shop.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5

Simplified: the nodes have no resolver of their own, so a pod that would get the node's
resolv.conf (``dnsPolicy: Default``, or a host-network pod without ``ClusterFirstWithHostNet``)
has none here (``resolv_conf`` returns None), and a host-network pod's /etc/hosts is the
kubelet-managed one rather than the node's file; one IP family (IPv4).

Upstream: pkg/kubelet/kubelet_pods.go (managedHostsFileContent, hostsEntriesFromHostAliases,
makeMounts/makeHostsMount/ensureHostsFile: the file written at each container creation),
pkg/kubelet/network/dns/dns.go (GetPodDNS, appendDNSConfig), pkg/kubelet/kubelet_pods.go
(GeneratePodHostNameAndDomain), containerd internal/cri/server/sandbox_run.go (the resolv.conf layout)
"""

from __future__ import annotations

CLUSTER_DNS = "10.96.0.10"  # kubelet --cluster-dns (kubeadm: the tenth address of the Service range)
CLUSTER_DOMAIN = "cluster.local"  # kubelet --cluster-domain
MANAGED_HOSTS_HEADER = "# Kubernetes-managed hosts file.\n"
_BOILERPLATE = ("127.0.0.1\tlocalhost\n"
                "::1\tlocalhost ip6-localhost ip6-loopback\n"
                "fe00::0\tip6-localnet\n"
                "fe00::0\tip6-mcastprefix\n"
                "fe00::1\tip6-allnodes\n"
                "fe00::2\tip6-allrouters\n")


def pod_hostname(pod: dict, cluster_domain: str = CLUSTER_DOMAIN) -> tuple[str, str]:
    """GeneratePodHostNameAndDomain: (hostname, domain). The hostname is ``spec.hostname`` or the
    pod's name cut to 63 characters (without a trailing ``-`` or ``.``); the domain
    ``<subdomain>.<namespace>.svc.<cluster domain>`` when ``spec.subdomain`` is set."""
    spec, meta = pod.get("spec") or {}, pod["metadata"]
    hostname = spec.get("hostname") or meta["name"]
    if len(hostname) > 63:
        hostname = hostname[:63].rstrip("-.")
    subdomain = spec.get("subdomain") or ""
    domain = f"{subdomain}.{meta.get('namespace', 'default')}.svc.{cluster_domain}" if subdomain else ""
    return hostname, domain


def hosts_file(pod: dict, pod_ips: list[str], cluster_domain: str = CLUSTER_DOMAIN) -> str:
    """managedHostsFileContent: the boilerplate, one line per pod IP, then the hostAliases."""
    hostname, domain = pod_hostname(pod, cluster_domain)
    out = MANAGED_HOSTS_HEADER + _BOILERPLATE
    for ip in pod_ips:
        out += f"{ip}\t{hostname}.{domain}\t{hostname}\n" if domain else f"{ip}\t{hostname}\n"
    aliases = (pod.get("spec") or {}).get("hostAliases") or []
    if aliases:
        out += "\n# Entries added by HostAliases.\n"
        for alias in aliases:
            out += f"{alias.get('ip', '')}\t" + "\t".join(alias.get("hostnames") or []) + "\n"
    return out


def resolv_conf(pod: dict, cluster_dns: str = CLUSTER_DNS, cluster_domain: str = CLUSTER_DOMAIN) -> str | None:
    """The resolv.conf the runtime writes from the kubelet's DNS config (GetPodDNS), or None for
    a pod that would get the node's own file."""
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    host_network = bool(spec.get("hostNetwork"))
    servers: list[str] = []
    searches: list[str] = []
    options: list[tuple[str, str | None]] = []
    if policy == "ClusterFirstWithHostNet" or (policy == "ClusterFirst" and not host_network):
        namespace = pod["metadata"].get("namespace", "default")
        servers = [cluster_dns]
        searches = [f"{namespace}.svc.{cluster_domain}", f"svc.{cluster_domain}", cluster_domain]
        options = [("ndots", "5")]
    elif policy != "None":
        return None
    config = spec.get("dnsConfig") or {}
    servers = _unique(servers + list(config.get("nameservers") or []))
    searches = _unique(searches + list(config.get("searches") or []))
    for option in config.get("options") or []:  # a later option of the same name wins
        options = [o for o in options if o[0] != option.get("name")] + [(option.get("name", ""), option.get("value"))]
    out = ""
    if searches:
        out += "search " + " ".join(searches) + "\n"
    if servers:
        out += "nameserver " + "\nnameserver ".join(servers) + "\n"
    if options:
        out += "options " + " ".join(name if value is None else f"{name}:{value}" for name, value in options) + "\n"
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
