"""kubectl exec end to end: the API server's checks, the kubelet's stream, and what the command
sees inside the container (the pod's files, hostname and network namespace)."""

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.exec_sync import run, tokenize
from k8slearn.kubelet.exec_tools import ExecContext
from k8slearn.kubelet.pod_files import hosts_file, pod_hostname, resolv_conf
from k8slearn.kubelet.servers import NGINX_WELCOME

WEB = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
  - name: log-agent
    image: busybox:1.36
    command: ["sh", "-c", "while true; do echo shipping logs; sleep 10; done"]
"""
HOSTS_HEADER = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=WEB)
    c.kubectl("run crash --image=busybox:1.36 -- sh -c 'exit 1'")
    c.kubectl("run done --image=busybox:1.36 --restart=Never -- sh -c 'echo bye'")
    c.settle()
    c.run(5)
    return c


def pod_ip(cluster, name="web"):
    return cluster.api.get("pods", name)["status"]["podIP"]


@pytest.mark.parametrize("command, stdout, stderr, code", [
    ("exec web -c log-agent -- wget -qO- http://localhost", NGINX_WELCOME, "", 0),
    ("exec web -c log-agent -- sh -c 'wget -qO- localhost | grep title'", "<title>Welcome to nginx!</title>\n", "", 0),
    ("exec web -c log-agent -- wget -q -O- http://localhost:8080/",
     "", "wget: can't connect to remote host (127.0.0.1): Connection refused\ncommand terminated with exit code 1\n", 1),
    ("exec web -c log-agent -- wget -qO- http://localhost/nope",
     "", "wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n", 1),
    ("exec web -c nginx -- cat /usr/share/nginx/html/index.html", NGINX_WELCOME, "", 0),
    ("exec web -c nginx -- ls /usr/share/nginx/html", "50x.html\nindex.html\n", "", 0),
    ("exec web -c nginx -- cat /nope", "",
     "cat: /nope: No such file or directory\ncommand terminated with exit code 1\n", 1),
    ("exec web -c log-agent -- cat /nope", "",
     "cat: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n", 1),
    ("exec web -c log-agent -- sh -c 'exit 3'", "", "command terminated with exit code 3\n", 3),
    ("exec web -c log-agent -- hostname", "web\n", "", 0),
    ("exec web -c nginx -- cat /etc/hostname", "web\n", "", 0),
    ("exec web -c log-agent -- cat /etc/resolv.conf",
     "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", "", 0),
    ("exec web -c nginx -- curl localhost", "",
     ("k8slearn: 'curl' is not simulated; the simulated containers run cat, date, echo, env, false, grep, head, hostname, "
      "id, ls, mkdir, printenv, printf, pwd, rm, rmdir, seq, sleep, tail, test, touch, true, wc, whoami and sh -c\n"
      "command terminated with exit code 1\n"), 1),
    ("exec web -c log-agent -- wget -qO- http://web-svc", "",
     "k8slearn: looking up 'web-svc' (cluster DNS) is not simulated\ncommand terminated with exit code 1\n", 1),
    ("exec web -c nope -- ls", "", "Error from server (BadRequest): container nope is not valid for pod web\n", 1),
    ("exec nope -- ls", "", 'Error from server (NotFound): pods "nope" not found\n', 1),
    ("exec web", "", "error: you must specify at least one command for the container\n", 1),
    ("exec", "", "error: pod, type/name or --filename must be specified\n", 1),
    ("exec crash -- ls", "", 'error: Internal error occurred: unable to upgrade connection: container not found ("crash")\n', 1),
    ("exec done -- ls", "", "error: cannot exec into a container in a completed pod; current phase is Succeeded\n", 1),
    ("exec -q web -- hostname", "web\n", "", 0),
    ("exec web -i -t -c log-agent -- sh", "",
     "Unable to use a TTY - input is not a terminal or the right kind of file\n", 0),
    ("exec web -c log-agent -- date", "Mon Jan  5 09:00:07 UTC 2026\n", "", 0),
    ("exec web -c log-agent -- sh -c 'date +%s; date -u +%H:%M'", "1767603607\n09:00\n", "", 0),
    ("exec web -c log-agent -- sh -c 'x=1; echo $x'", "1\n", "", 0),
    ("exec web -c log-agent -- sh -c 'echo \"$(hostname) has $((2 * 3)) of them\"'", "web has 6 of them\n", "", 0),
    ("exec web -c log-agent -- sh -c 'x=$(cat /nope); echo \"[$x]\" '\"'\"'$x'\"'\"", "[] $x\n",
     "cat: can't open '/nope': No such file or directory\n", 0),
    ("exec web -c log-agent -- sh -c 'echo $((1 / 0)); echo never'", "",
     "sh: divide by zero\ncommand terminated with exit code 2\n", 2),
    ("exec web -c nginx -- sh -c 'echo $(hostname) $NGINX_VERSION'", "",
     "k8slearn: the nginx image's own variable NGINX_VERSION is not simulated\ncommand terminated with exit code 1\n", 1),
], ids=[
    "a sidecar reaches nginx on localhost: the containers share the pod's network namespace",
    "a pipeline passes wget's page to grep",
    "a port nothing in the pod listens on refuses the connection",
    "a page nginx does not have is a 404 and wget fails",
    "cat prints a file of the image",
    "ls lists the default site's directory",
    "GNU cat in a Debian image says No such file or directory its way",
    "BusyBox cat says it its way",
    "a non-zero exit code ends the command and is kubectl's exit code",
    "hostname prints the pod's name",
    "/etc/hostname is the kubelet's file",
    "resolv.conf points at the cluster DNS Service with the namespace's search path",
    "a tool the simulation does not run says so instead of making output up",
    "a name only cluster DNS could answer says it is not simulated",
    "the API server refuses a container the pod does not have",
    "a missing pod is NotFound",
    "a command is required",
    "a pod is required",
    "a container that is not running is not found by the kubelet",
    "a finished pod cannot be exec'd into",
    "-q leaves out the Defaulted container line",
    "-it without a terminal warns and sh reads an empty stdin",
    "date prints the simulated clock (UTC)",
    "date +FORMAT, %s the seconds since 1970",
    "a script's own variables are expanded as it runs",
    "command substitution and arithmetic, inside double quotes too",
    "a substitution's errors go to stderr; single quotes keep a $",
    "dividing by zero is the shell's error and ends the script",
    "an image variable the simulation does not know is said to be not simulated",
])
def test_kubectl_exec(cluster, command, stdout, stderr, code):
    result = cluster.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


def test_every_container_of_a_pod_sees_the_same_hosts_file_and_ip(cluster):
    ip = pod_ip(cluster)
    for container in ("nginx", "log-agent"):
        assert cluster.kubectl(f"exec web -c {container} -- cat /etc/hosts").stdout == HOSTS_HEADER + f"{ip}\tweb\n"
        assert cluster.kubectl(f"exec web -c {container} -- hostname -i").stdout == f"{ip} \n"


def test_without_a_container_kubectl_defaults_to_the_first_and_says_so(cluster):
    result = cluster.kubectl("exec web -- hostname")
    assert (result.stdout, result.stderr) == ("web\n", 'Defaulted container "nginx" out of: nginx, log-agent\n')


def test_the_old_form_without_dashes_is_refused(cluster):
    result = cluster.kubectl("exec web -c log-agent hostname")
    assert (result.stdout, result.code) == ("", 1)
    assert result.stderr == ("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n"
                             "See 'kubectl exec -h' for help and examples\n")


def test_a_missing_executable_is_the_runtimes_oci_error():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx:1.27")
    c.settle()
    result = c.kubectl("exec web -- nosuch")
    assert result.code == 1
    assert result.stderr.startswith('error: Internal error occurred: error executing command in container: '
                                    'failed to exec in container: failed to start exec "')
    assert result.stderr.endswith('": OCI runtime exec failed: exec failed: unable to start container process: '
                                  'exec: "nosuch": executable file not found in $PATH: unknown\n')


def test_stdin_is_given_to_the_command_with_i():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run box --image=busybox:1.36 -- sleep 3600")
    c.settle()
    result = c.kubectl("exec -i box -- sh", stdin="echo hello > /tmp/x\ncat /tmp/x\n")
    assert (result.stdout, result.code) == ("hello\n", 0)
    assert c.kubectl("exec box -- cat /tmp/x").stdout == "hello\n"  # the container's own file stays
    assert c.kubectl("exec box -- sh", stdin="echo ignored").stdout == ""  # without -i there is no stdin


def test_a_file_removed_by_exec_fails_the_liveness_probe_and_the_container_restarts():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "touch /tmp/healthy; sleep 3600"]
    livenessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      periodSeconds: 5
""")
    c.settle()
    c.run(10)
    assert c.kubectl("exec live -- rm /tmp/healthy").code == 0
    c.run(60)  # three failed probes 5 s apart, then 30 s of grace: sh as PID 1 ignores SIGTERM
    status = c.api.get("pods", "live")["status"]["containerStatuses"][0]
    assert status["restartCount"] == 1
    assert c.kubectl("exec live -- cat /tmp/healthy").code == 0  # a new container: the program touched it again


def test_a_deployment_execs_into_its_most_active_pod():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    c.settle()
    names = sorted(p["metadata"]["name"] for p in c.api.list("pods"))
    result = c.kubectl("exec deploy/web -- hostname")
    assert result.stdout.strip() in names and result.stderr == ""


def test_a_pod_not_on_a_node_has_no_host_assigned():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run big --image=nginx:1.27 --overrides='{\"spec\":{\"nodeSelector\":{\"disk\":\"ssd\"}}}'")
    c.settle()
    assert c.kubectl("exec big -- ls").stderr == "Error from server (BadRequest): pod big does not have a host assigned\n"


# -- the pieces ----------------------------------------------------------------------------------
@pytest.mark.parametrize("pod, hosts_tail, resolv", [
    ({"metadata": {"name": "web", "namespace": "default"}, "spec": {}}, "10.0.0.5\tweb\n",
     "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"),
    ({"metadata": {"name": "web-0", "namespace": "shop"}, "spec": {"hostname": "web-0", "subdomain": "nginx"}},
     "10.0.0.5\tweb-0.nginx.shop.svc.cluster.local\tweb-0\n",
     "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"),
    ({"metadata": {"name": "a", "namespace": "default"},
      "spec": {"hostAliases": [{"ip": "10.1.2.3", "hostnames": ["foo.remote", "bar.remote"]}]}},
     "10.0.0.5\ta\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n",
     "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"),
    ({"metadata": {"name": "n", "namespace": "default"},
      "spec": {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["1.2.3.4"], "searches": ["ns1.svc.cluster-domain.example"],
                                                  "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}}},
     "10.0.0.5\tn\n", "search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\noptions ndots:2 edns0\n"),
    ({"metadata": {"name": "m", "namespace": "default"},
      "spec": {"dnsConfig": {"options": [{"name": "ndots", "value": "1"}], "searches": ["svc.cluster.local", "x.y"]}}},
     "10.0.0.5\tm\n", ("search default.svc.cluster.local svc.cluster.local cluster.local x.y\nnameserver 10.96.0.10\n"
                     "options ndots:1\n")),
    ({"metadata": {"name": "h", "namespace": "default"}, "spec": {"dnsPolicy": "Default"}}, "10.0.0.5\th\n", None),
], ids=[
    "a plain pod: its name and the cluster DNS",
    "a pod with a subdomain gets its fully qualified name",
    "hostAliases come last under their own header",
    "dnsPolicy None takes dnsConfig alone",
    "dnsConfig is merged into ClusterFirst: searches appended once, a later option wins",
    "dnsPolicy Default would be the node's file, which the simulation does not have",
])
def test_the_kubelets_pod_files(pod, hosts_tail, resolv):
    assert hosts_file(pod, ["10.0.0.5"]) == HOSTS_HEADER + hosts_tail
    assert resolv_conf(pod) == resolv


def test_a_long_pod_name_is_cut_to_63_characters_for_the_hostname():
    pod = {"metadata": {"name": "a" * 62 + "-b" + "c" * 10, "namespace": "default"}, "spec": {}}
    assert pod_hostname(pod) == ("a" * 62, "")


@pytest.mark.parametrize("script, expected", [
    ("echo a; echo b", (0, "a\nb\n", "")),
    ("false || echo rescued", (0, "rescued\n", "")),
    ("false && echo never; echo after", (0, "after\n", "")),
    ("echo 'a;b' \"c d\"", (0, "a;b c d\n", "")),
    ("echo x > /tmp/f; cat /tmp/f /tmp/f | wc -l", (0, "2\n", "")),
    ("cat /nope 2>&1 | head -n 1", (0, "cat: can't open '/nope': No such file or directory\n", "")),
    ("cat /nope > /tmp/o 2>&1; cat /tmp/o", (0, "cat: can't open '/nope': No such file or directory\n", "")),
    ("curl localhost", (127, "", "sh: curl: not found\n")),
    ("mkdir /tmp/d; test -d /tmp/d && echo dir", (0, "dir\n", "")),
    ("touch /tmp/a; rm /tmp/a; rm /tmp/a", (1, "", "rm: can't remove '/tmp/a': No such file or directory\n")),
    ("mkdir /tmp/d; rm /tmp/d; test -d /tmp/d && echo kept", (0, "kept\n", "rm: '/tmp/d' is a directory\n")),
    ("mkdir -p /tmp/d/e; touch /tmp/d/e/f; rm -r /tmp/d; test -f /tmp/d/e/f || echo gone", (0, "gone\n", "")),
    ("echo 'unterminated", (2, "", "sh: syntax error: unterminated quoted string\n")),
    ("for i in 1 2; do echo $i; done", (0, "1\n2\n", "")),
    ("for n in $(seq 2 4)\ndo\n  echo $((n * n))\ndone; echo last $n", (0, "4\n9\n16\nlast 4\n", "")),
    ("for f in /etc/*; do echo $f; done", (1, "", "k8slearn: a script with loops is not simulated\n")),
    ("touch /tmp/up; if [ -f /tmp/up ]; then echo ok; else exit 1; fi", (0, "ok\n", "")),
    ("if [ -f /tmp/none ]; then exit 0; else echo missing >&2; exit 3; fi; echo never", (3, "", "missing\n")),
    ("x=2; if [ $x -gt 3 ]; then echo big; elif [ $x -gt 1 ]; then echo mid; else echo small; fi",
     (0, "mid\n", "")),
    ("if true; then if false; then echo a; else echo b; fi; echo c; fi", (0, "b\nc\n", "")),
    ("if [ a -gt 1 ]; then echo x; fi", (0, "", "sh: a: bad number\n")),
    ("if true; then echo x", (2, "", 'sh: syntax error: unexpected end of file (expecting "fi")\n')),
    ("echo done; while true; do echo x; done", (1, "", "k8slearn: a script with loops is not simulated\n")),
    ("printf '%s' x; exit 5", (5, "x", "")),
    ("echo \"$HOME\" '$HOME' ${HOME}x", (0, "/root $HOME /rootx\n", "")),
    ("echo $(echo sub)stitution", (0, "substitution\n", "")),
    ("echo ${HOME:-/}", (1, "", "k8slearn: expanding shell variables and command substitution is not simulated\n")),
    ("cat /tmp/*", (1, "", "k8slearn: expanding file name patterns (globs) is not simulated\n")),
    ("echo '$1 *' \"?\"", (0, "$1 * ?\n", "")),
    ("cd /tmp && ls", (1, "", "k8slearn: the shell builtin 'cd' is not simulated\n")),
], ids=[
    "; runs one command after the other",
    "|| runs the next command after a failure",
    "&& skips the next command after a failure, ; goes on",
    "quotes keep operators and spaces inside one word",
    "> writes a file and a pipe feeds the next command",
    "2>&1 sends errors down the pipe",
    "> file 2>&1 sends both to the file",
    "a command the image does not have is not found by BusyBox sh",
    "mkdir makes a directory test -d sees",
    "rm of a missing file fails",
    "rm of a directory without -r fails as BusyBox says and keeps it",
    "rm -r removes a directory with what is inside",
    "a quote left open is a syntax error",
    "a for loop runs its body once for each word",
    "seq counts out the words, and the variable keeps the last one after the loop",
    "a for loop whose words need the shell (a glob) is not simulated and kubectl exec says so",
    "if runs the branch whose test succeeds",
    "exit in a branch ends the script, and >&2 writes to stderr",
    "elif is tried after a failed test, with the script's own variables",
    "an if in an if closes at its own fi",
    "a comparison of a word that is no number is BusyBox's bad number, and no branch runs",
    "an if without its fi is a syntax error",
    "done is a keyword only where a command starts; while loops are not simulated",
    "exit ends the script with its code",
    "$NAME and ${NAME} are the container's variables, not inside single quotes",
    "command substitution runs the command",
    "nor are the other parameter expansions",
    "globs are not expanded either",
    "quoted, they are plain text",
    "a shell builtin such as cd says it is not simulated rather than 'not found'",
])
def test_the_shell(script, expected):
    assert run(["sh", "-c", script], ExecContext("busybox", files={}, interactive=True)) == expected


def test_tokenize_splits_operators_and_redirections():
    assert tokenize("a 2>/dev/null|b>>f") == ["a", ("2>",), "/dev/null", "|", "b", (">>",), "f"]


def test_a_pod_reaches_another_pod_on_another_node_at_its_ip():
    c = Cluster(workers=2, seed=0)
    c.kubectl("""run web --image=nginx:1.27 --overrides='{"spec":{"nodeName":"node-1"}}'""")
    c.kubectl("""run box --image=busybox:1.36 --overrides='{"spec":{"nodeName":"node-2"}}' -- sleep 3600""")
    c.settle()
    web_ip = c.api.get("pods", "web")["status"]["podIP"]
    assert web_ip.startswith("10.244.1.") and c.api.get("pods", "box")["status"]["podIP"].startswith("10.244.2.")
    fetched = c.kubectl(f"exec box -- sh -c 'wget -qO- http://{web_ip} | grep title'")
    assert (fetched.stdout, fetched.code) == ("<title>Welcome to nginx!</title>\n", 0)
    cases = {
        f"wget -qO- http://{web_ip}:8080": "wget: can't connect to remote host ({ip}): Connection refused\n",
        "wget -qO- http://10.244.1.99": "wget: can't connect to remote host ({ip}): No route to host\n",
        "wget -qO- http://10.96.0.1:443": ("k8slearn: a connection to 10.96.0.1:443, outside the pod network "
                                           "(no kube-proxy, nodes or internet) is not simulated\n"),
    }
    for command, error in cases.items():
        ip = command.split("//")[1].split(":")[0]
        result = c.kubectl(f"exec box -- {command}")
        assert result.stderr == error.format(ip=ip) + "command terminated with exit code 1\n", command
    c.stop_node("node-1")  # the machine is off: its pods' addresses answer no more
    assert "No route to host" in c.kubectl(f"exec box -- wget -qO- http://{web_ip}").stderr


def test_exec_into_a_pod_whose_node_is_down_cannot_reach_its_kubelet():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx:1.27")
    c.settle()
    c.stop_node("node-1")
    result = c.kubectl("exec web -- hostname")
    node_ip = c.api.get("nodes", "node-1")["status"]["addresses"][0]["address"]
    assert (result.stderr, result.code) == (
        f"Error from server: error dialing backend: dial tcp {node_ip}:10250: connect: no route to host\n", 1)
    c.start_node("node-1")
    c.settle()  # the rebooted kubelet starts the pod's containers again
    assert c.kubectl("exec web -- hostname").stdout == "web\n"


def test_logs_of_a_pod_whose_node_is_down_cannot_reach_its_kubelet():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run box --image=busybox:1.36 -- sh -c 'echo hi; sleep 3600'")
    c.settle()
    assert c.kubectl("logs box").stdout == "hi\n"
    c.stop_node("node-1")
    ip = c.api.get("nodes", "node-1")["status"]["addresses"][0]["address"]
    for command in ("logs box", "logs -f box"):
        result = c.kubectl(command)
        expected = (f'Error from server: Get "https://{ip}:10250/containerLogs/default/box/box": '
                    f"dial tcp {ip}:10250: connect: no route to host\n")
        assert (result.stderr, result.code) == (expected, 1), command


TESTS = [
    ('[ -z "" ]', 0), ("[ -n x ]", 0), ("[ a != a ]", 1), ("[ 3 -le 3 ]", 0), ("test 10 -lt 9", 1),
    ("[ ! -d /tmp/none ]", 0), ("[ -f /nope -o -n x ]", 0), ("[ -n x -a -z x ]", 1), ("[ ]", 1),
    ("[ -d /etc ]", 0), ("[ -f /etc ]", 1), ("[ -e /etc/hostname ]", 0),
]


@pytest.mark.parametrize("expression, code", TESTS, ids=[t[0] for t in TESTS])
def test_test_and_its_brackets_evaluate_posix_expressions(expression, code):
    assert run(["sh", "-c", expression], ExecContext("busybox", files={}, interactive=True)) == (code, "", "")


def test_a_comparison_of_a_word_that_is_no_number_in_dash_says_illegal_number():
    assert run(["sh", "-c", "[ x -eq 1 ]"], ExecContext("debian", files={}, interactive=True)) == (
        2, "", "sh: 1: [: Illegal number: x\n")


@pytest.mark.parametrize("script, expected", [
    ("mkdir -p /a/b/c && ls /a/b", (0, "c\n", "")),
    ("mkdir -p /a/b && touch /a/b/f && mkdir /a/b/g && ls /a/b", (0, "f\ng\n", "")),
    ("mkdir /x/y", (1, "", "mkdir: can't create directory '/x/y': No such file or directory\n")),
    ("mkdir -p /tmp && mkdir /tmp", (1, "", "mkdir: can't create directory '/tmp': File exists\n")),
], ids=["mkdir -p makes the parents, and a directory the container made lists what is in it",
        "what the script put there is listed, in order",
        "without -p a missing parent is an error",
        "-p of a directory that is there changes nothing; without -p it exists"])
def test_mkdir(script, expected):
    assert run(["sh", "-c", script], ExecContext("busybox", files={}, interactive=True)) == expected


@pytest.fixture(scope="module")
def solo():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run solo --image=busybox -- sleep 3600")
    c.settle()
    return c


TOOLS = [
    ("wc -l /etc/hosts", "8 /etc/hosts\n", ""),
    ("wc -l /etc/hosts /etc/hostname", "        8 /etc/hosts\n        1 /etc/hostname\n        9 total\n", ""),
    ("wc -l /nope", "", "wc: /nope: No such file or directory\n"),
    ("grep localhost /etc/hosts /etc/hostname",
     "/etc/hosts:127.0.0.1\tlocalhost\n/etc/hosts:::1\tlocalhost ip6-localhost ip6-loopback\n", ""),
    ("grep -c localhost /etc/hosts /etc/hostname", "/etc/hosts:2\n/etc/hostname:0\n", ""),
    ("echo -e 'a\\tb\\nc'", "a\tb\nc\n", ""),
    ("echo -n x", "x", ""),
    ("sleep abc", "", "sleep: invalid number 'abc'\n"),
]


@pytest.mark.parametrize("script, stdout, stderr", TOOLS, ids=[
    "wc counts the file it is given, and names it",
    "several files: one line each in BusyBox's %9 columns, then the total",
    "a missing file is wc's error (fopen_or_warn: the path, then the reason)",
    "grep in several files puts each file's name before its lines",
    "and -c counts per file",
    "echo -e turns backslash escapes into characters",
    "echo -n leaves out the newline",
    "sleep of something that is no duration is its error",
])
def test_busybox_tools_in_exec(solo, script, stdout, stderr):
    result = solo.kubectl(["exec", "solo", "--", "sh", "-c", script])
    assert (result.stdout, result.stderr.replace("command terminated with exit code 1\n", "")) == (stdout, stderr)
