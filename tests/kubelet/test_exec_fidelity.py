"""kubectl exec prints what the real tools print in busybox:1.36 and nginx:1.27 (Debian 12), and
says "... is not simulated" for what it does not model: which image has which program, runc's
errors, the tools' options and messages, stdin and the order of the output inside scripts, the
pod's shared /etc files and the files every image has."""

import re

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.exec_sync import run
from k8slearn.kubelet.exec_tools import ExecContext

TWO = """apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: nginx, image: "nginx:1.27"}
  - {name: side, image: "busybox:1.36", command: [sleep, "3600"]}
"""
SUB = """apiVersion: v1
kind: Pod
metadata: {name: hp, namespace: dev}
spec:
  hostname: myhost
  subdomain: sub
  containers:
  - {name: box, image: "busybox:1.36", args: [sleep, "3600"]}
  - {name: web, image: "nginx:1.27", workingDir: /usr/share/nginx/html}
"""
RUNS = ("cat, date, echo, env, false, grep, head, hostname, id, ls, mkdir, printenv, printf{ps}, pwd, rm, rmdir, "
        "seq, sleep, tail, test, touch, true, wc{wget}, whoami and sh -c")
BUSYBOX_RUNS, DEBIAN_RUNS = RUNS.format(ps=", ps", wget=", wget"), RUNS.format(ps="", wget="")
OCI = ('error: Internal error occurred: error executing command in container: failed to exec in container: '
       'failed to start exec "ID": OCI runtime exec failed: exec failed: unable to start container process: '
       'exec: {what}: unknown\n')


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=2, seed=0)
    c.kubectl("run bb --image=busybox:1.36 -- sleep 3600")
    c.kubectl("run web --image=nginx:1.27")
    c.kubectl("apply -f -", stdin=TWO)
    c.kubectl("create namespace dev")
    c.kubectl("apply -f -", stdin=SUB)
    c.settle()
    return c


def _ip(cluster, pod):
    return cluster.api.get("pods", pod)["status"]["podIP"]


def _exec(cluster, command, stdin=""):
    result = cluster.kubectl(command, stdin=stdin)
    stderr = re.sub(r'failed to start exec "[0-9a-f]{64}"', 'failed to start exec "ID"', result.stderr)
    return result.stdout, stderr, result.code


def _not_simulated(what, code=1):
    return f"k8slearn: {what} is not simulated\ncommand terminated with exit code {code}\n"


@pytest.mark.parametrize("command, stdout, stderr, code", [
    pytest.param("exec bb -- pwd", "/\n", "", 0, id="pwd in busybox prints the root, where an exec starts"),
    pytest.param("exec web -- pwd", "/\n", "", 0, id="pwd in nginx prints the root too (the image has no WORKDIR)"),
    pytest.param("exec -n dev hp -c web -- pwd", "/usr/share/nginx/html\n", "", 0,
                 id="pwd prints the container's workingDir"),
    pytest.param("exec bb -- printf hi", "hi", "", 0, id="printf prints its format without a newline of its own"),
    pytest.param("exec web -- printf '%s=%03d\\n' a 7 b 42", "a=007\nb=042\n", "", 0,
                 id="printf uses its format again for the arguments left, with flags and widths"),
    pytest.param("exec bb -- seq 3", "1\n2\n3\n", "", 0, id="seq counts from 1"),
    pytest.param("exec web -- seq -s, 2 2 8", "2,4,6,8\n", "", 0, id="seq -s puts its separator between the numbers"),
    pytest.param("exec bb -- seq -w 8 10", "08\n09\n10\n", "", 0, id="seq -w pads with zeros"),
    pytest.param("exec bb -- rmdir /tmp/none", "", "rmdir: '/tmp/none': No such file or directory\n"
                 "command terminated with exit code 1\n", 1, id="BusyBox rmdir of a missing directory"),
    pytest.param("exec web -- rmdir /tmp/none", "", "rmdir: failed to remove '/tmp/none': No such file or directory\n"
                 "command terminated with exit code 1\n", 1, id="GNU rmdir of a missing directory"),
    pytest.param("exec bb -- vi", "", f"k8slearn: 'vi' is not simulated; the simulated containers run {BUSYBOX_RUNS}\n"
                 "command terminated with exit code 1\n", 1, id="vi is a BusyBox applet the simulation does not run"),
    pytest.param("exec bb -- free", "", f"k8slearn: 'free' is not simulated; the simulated containers run "
                 f"{BUSYBOX_RUNS}\ncommand terminated with exit code 1\n", 1, id="free is a BusyBox applet too"),
    pytest.param("exec web -- more /etc/hosts", "", f"k8slearn: 'more' is not simulated; the simulated containers "
                 f"run {DEBIAN_RUNS}\ncommand terminated with exit code 1\n", 1,
                 id="more is in Debian's util-linux"),
    pytest.param("exec web -- curl localhost", "", f"k8slearn: 'curl' is not simulated; the simulated containers run "
                 f"{DEBIAN_RUNS}\ncommand terminated with exit code 1\n", 1,
                 id="curl is in the nginx image (its Dockerfile installs it)"),
])
def test_tools_the_images_have(cluster, command, stdout, stderr, code):
    assert _exec(cluster, command) == (stdout, stderr, code)


@pytest.mark.parametrize("pod, command", [
    pytest.param("web", "ps", id="nginx's Debian image has no procps: ps"),
    pytest.param("web", "top", id="nor top"),
    pytest.param("web", "ip a", id="no iproute2: ip"),
    pytest.param("web", "ping -c1 10.244.1.2", id="no iputils: ping"),
    pytest.param("web", "nslookup x", id="no dnsutils: nslookup"),
    pytest.param("web", "wget -qO- http://localhost", id="no wget"),
    pytest.param("bb", "curl http://localhost", id="busybox has no curl"),
    pytest.param("bb", "bash", id="busybox has no bash"),
])
def test_a_program_the_image_lacks_is_runcs_executable_file_not_found(cluster, pod, command):
    name = command.split()[0]
    assert _exec(cluster, f"exec {pod} -- {command}") == ("", OCI.format(
        what=f'"{name}": executable file not found in $PATH'), 1)


@pytest.mark.parametrize("command, stdout, stderr, code", [
    pytest.param("exec web -- sh -c 'ps; echo after'", "after\n", "sh: 1: ps: not found\n", 0,
                 id="dash says not found with its line number and goes on"),
    pytest.param("exec web -- sh -c wget", "", "sh: 1: wget: not found\ncommand terminated with exit code 127\n", 127,
                 id="the last command's 127 is the script's exit code"),
    pytest.param("exec bb -- sh -c 'curl x'", "", "sh: curl: not found\ncommand terminated with exit code 127\n", 127,
                 id="BusyBox ash says it without a line number"),
    pytest.param("exec bb -- sh -c /bin/bash", "", "sh: /bin/bash: not found\ncommand terminated with exit code 127\n",
                 127, id="a path the image does not have, inside a script"),
    pytest.param("exec web -- bash -c 'ip a'", "", "bash: line 1: ip: command not found\n"
                 "command terminated with exit code 127\n", 127, id="bash says command not found"),
])
def test_inside_a_shell_a_missing_program_is_the_shells_not_found(cluster, command, stdout, stderr, code):
    assert _exec(cluster, command) == (stdout, stderr, code)


@pytest.mark.parametrize("pod, path", [
    pytest.param("bb", "/bin/bash", id="the well-known error of exec -- /bin/bash into a BusyBox pod"),
    pytest.param("web", "/usr/bin/nosuch", id="a missing path in nginx"),
    pytest.param("bb", "./x", id="a relative path is stat'ed too"),
    pytest.param("bb", "/usr/bin/wget", id="BusyBox's applets are in /bin only"),
])
def test_a_path_with_a_slash_is_runcs_stat_error(cluster, pod, path):
    assert _exec(cluster, f"exec {pod} -- {path}") == ("", OCI.format(
        what=f'"{path}": stat {path}: no such file or directory'), 1)


@pytest.mark.parametrize("command, stdout, code", [
    pytest.param("exec bb -- /bin/cat /etc/hostname", "bb\n", 0, id="a program the image has at that path runs"),
    pytest.param("exec web -- /usr/bin/seq 2", "1\n2\n", 0, id="Debian's merged /usr: /usr/bin and /bin alike"),
])
def test_a_path_to_a_program_the_image_has_runs_it(cluster, command, stdout, code):
    assert _exec(cluster, command) == (stdout, "", code)


@pytest.mark.parametrize("command, stdout, stderr, code", [
    pytest.param("exec bb -- hostname -d", "", "", 0, id="BusyBox hostname -d prints nothing without a domain"),
    pytest.param("exec -n dev hp -c box -- hostname -d", "sub.dev.svc.cluster.local\n", "", 0,
                 id="and the domain of the name /etc/hosts gives a pod with a subdomain"),
    pytest.param("exec -n dev hp -c box -- hostname -f", "myhost.sub.dev.svc.cluster.local\n", "", 0,
                 id="-f prints the fully qualified name"),
    pytest.param("exec -n dev hp -c box -- hostname -s", "myhost\n", "", 0, id="-s the short name"),
    pytest.param("exec bb -- hostname -I", "", "hostname: invalid option -- 'I'\n"
                 "k8slearn: the usage text of hostname is not simulated\ncommand terminated with exit code 1\n", 1,
                 id="BusyBox has no -I: getopt's complaint, and its usage is not simulated"),
    pytest.param("exec bb -- hostname foo", "", "hostname: sethostname: Operation not permitted\n"
                 "command terminated with exit code 1\n", 1, id="BusyBox cannot set the name in a container"),
    pytest.param("exec web -- hostname foo", "", "hostname: you must be root to change the host name\n"
                 "command terminated with exit code 1\n", 1, id="nor can Debian's hostname, its own way"),
    pytest.param("exec web -- hostname foo_bar", "", "hostname: the specified hostname is invalid\n"
                 "command terminated with exit code 1\n", 1, id="Debian's hostname checks the name first"),
    pytest.param("exec -n dev hp -c web -- hostname -d", "sub.dev.svc.cluster.local\n", "", 0,
                 id="Debian's hostname -d"),
    pytest.param("exec web -- hostname -A", "", _not_simulated("hostname -A"), 1,
                 id="an option of Debian's hostname that is not modelled says so"),
])
def test_hostname_options(cluster, command, stdout, stderr, code):
    assert _exec(cluster, command) == (stdout, stderr, code)


def test_debian_hostname_capital_i_prints_the_pods_ip(cluster):
    assert _exec(cluster, "exec web -- hostname -I") == (f"{_ip(cluster, 'web')} \n", "", 0)


HOSTS_LINE = "127.0.0.1\tlocalhost\n"


@pytest.mark.parametrize("command, stdout, stderr, code", [
    pytest.param("exec bb -- grep -n localhost /etc/hosts",
                 "2:127.0.0.1\tlocalhost\n3:::1\tlocalhost ip6-localhost ip6-loopback\n", "", 0,
                 id="grep -n puts the line number first"),
    pytest.param("exec bb -- grep -o localhost /etc/hosts", "localhost\n" * 3, "", 0,
                 id="grep -o prints each match on its own line"),
    pytest.param("exec bb -- grep -x bb /etc/hosts", "", "command terminated with exit code 1\n", 1,
                 id="grep -x matches whole lines only"),
    pytest.param("exec bb -- grep -l localhost /etc/hosts /etc/hostname", "/etc/hosts\n", "", 0,
                 id="grep -l names the files that match"),
    pytest.param("exec bb -- grep -w local /etc/hosts", "", "command terminated with exit code 1\n", 1,
                 id="grep -w wants a whole word"),
    pytest.param("exec bb -- grep -cv localhost /etc/hosts", "6\n", "", 0, id="grep -cv counts the other lines"),
    pytest.param("exec web -- grep -iE '^(127|LOCAL)' /etc/hosts", HOSTS_LINE, "", 0,
                 id="grep -iE: an extended pattern, ignoring case"),
    pytest.param("exec web -- grep '^127\\.0\\.0\\.1' /etc/hosts", HOSTS_LINE, "", 0,
                 id="a basic pattern's escaped dots"),
    pytest.param("exec bb -- grep x /nope /etc/hosts", "/etc/hosts:fe00::0\tip6-mcastprefix\n",
                 "grep: /nope: No such file or directory\ncommand terminated with exit code 2\n", 2,
                 id="a missing file is grep's error and exit code 2, even with a match"),
    pytest.param("exec bb -- grep -r x /etc", "", _not_simulated("grep -r"), 1,
                 id="an option grep has that is not modelled says so"),
    pytest.param("exec web -- grep -k x /etc/hosts", "", "grep: invalid option -- 'k'\n"
                 "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
                 "command terminated with exit code 2\n", 2, id="an option GNU grep does not have"),
    pytest.param("exec bb -- cat -n /etc/resolv.conf",
                 "     1\tsearch default.svc.cluster.local svc.cluster.local cluster.local\n"
                 "     2\tnameserver 10.96.0.10\n     3\toptions ndots:5\n", "", 0, id="cat -n numbers the lines"),
    pytest.param("exec bb -- cat -A /etc/hostname", "", _not_simulated("cat -A"), 1,
                 id="a cat option that is not modelled says so"),
    pytest.param("exec bb -- head -c 5 /etc/hosts", "# Kub", "", 0, id="head -c prints the first bytes"),
    pytest.param("exec web -- tail -c 8 /etc/resolv.conf", "ndots:5\n", "", 0, id="tail -c the last bytes"),
    pytest.param("exec bb -- tail -n +3 /etc/resolv.conf /etc/hostname", "==> /etc/resolv.conf <==\n"
                 "options ndots:5\n\n==> /etc/hostname <==\n", "", 0,
                 id="tail -n +N from the Nth line, a header per file"),
    pytest.param("exec web -- head -n -7 /etc/hosts", "# Kubernetes-managed hosts file.\n", "", 0,
                 id="GNU head -n -N leaves out the last N lines"),
    pytest.param("exec bb -- head /nope", "", "head: /nope: No such file or directory\n"
                 "command terminated with exit code 1\n", 1, id="BusyBox head's error names head"),
    pytest.param("exec bb -- tail /nope", "", "tail: can't open '/nope': No such file or directory\n"
                 "command terminated with exit code 1\n", 1, id="BusyBox tail says can't open"),
    pytest.param("exec web -- tail -n 2 /nope", "", "tail: cannot open '/nope' for reading: "
                 "No such file or directory\ncommand terminated with exit code 1\n", 1, id="GNU tail's error"),
    pytest.param("exec web -- head /nope", "", "head: cannot open '/nope' for reading: "
                 "No such file or directory\ncommand terminated with exit code 1\n", 1, id="GNU head's error"),
])
def test_options_and_errors_of_grep_cat_head_and_tail(cluster, command, stdout, stderr, code):
    assert _exec(cluster, command) == (stdout, stderr, code)


@pytest.mark.parametrize("command, stdin, stdout", [
    pytest.param("exec -i bb -- sh -c 'wc -l'", "a\nb\n", "2\n", id="wc in a script counts kubectl's stdin"),
    pytest.param("exec -i bb -- sh -c 'grep b'", "a\nb\n", "b\n", id="grep in a script reads it"),
    pytest.param("exec -i web -- sh -c 'echo first; cat; cat'", "once\n", "first\nonce\n",
                 id="the first command that reads stdin gets all of it"),
    pytest.param("exec -i bb -- sh -c 'cat > /tmp/copied; cat /tmp/copied'", "data\n", "data\n",
                 id="cat > file copies stdin into the container"),
])
def test_stdin_goes_to_the_first_command_of_a_script_that_reads_it(cluster, command, stdin, stdout):
    assert _exec(cluster, command, stdin) == (stdout, "", 0)


@pytest.mark.parametrize("command, chunks", [
    pytest.param("exec bb -- sh -c 'echo a; echo b >&2; echo c'",
                 [("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "c\n")], id="echo to stderr between two lines"),
    pytest.param("exec bb -- sh -c 'echo hi; nosuch; echo after'",
                 [("stdout", "hi\n"), ("stderr", "sh: nosuch: not found\n"), ("stdout", "after\n")],
                 id="a shell's error where it happened"),
    pytest.param("exec bb -- cat /etc/hostname /nope /etc/hostname",
                 [("stdout", "bb\n"), ("stderr", "cat: can't open '/nope': No such file or directory\n"),
                  ("stdout", "bb\n"), ("stderr", "command terminated with exit code 1\n")],
                 id="cat's error between the files it printed"),
])
def test_stdout_and_stderr_come_back_in_the_order_written(cluster, command, chunks):
    assert cluster.kubectl(command).chunks == chunks


@pytest.mark.parametrize("command, stderr, code", [
    pytest.param("exec bb -- sh -c 'exit 300'", "command terminated with exit code 44\n", 44,
                 id="an exit status has 8 bits: 300 is 44"),
    pytest.param("exec bb -- sh -c 'exit 256'", "", 0, id="and 256 is 0"),
    pytest.param("exec bb -- sh -c 'exit -1'", "sh: exit: Illegal number: -1\ncommand terminated with exit code 2\n", 2,
                 id="BusyBox ash refuses a negative exit"),
    pytest.param("exec web -- sh -c 'exit -1'", "sh: 1: exit: Illegal number: -1\n"
                 "command terminated with exit code 2\n", 2, id="dash does too, with its line number"),
    pytest.param("exec web -- bash -c 'exit -1'", "command terminated with exit code 255\n", 255,
                 id="bash takes -1 as 255"),
])
def test_exit_statuses(cluster, command, stderr, code):
    assert _exec(cluster, command) == ("", stderr, code)


def test_etc_hosts_is_one_file_for_the_pod(cluster):
    assert _exec(cluster, "exec two -c side -- sh -c 'echo 1.2.3.4 extra >> /etc/hosts'") == ("", "", 0)
    assert _exec(cluster, "exec two -c nginx -- tail -n 1 /etc/hosts") == ("1.2.3.4 extra\n", "", 0)
    assert _exec(cluster, "exec two -c side -- rm /etc/hosts") == (
        "", "rm: can't remove '/etc/hosts': Device or resource busy\ncommand terminated with exit code 1\n", 1)


@pytest.mark.parametrize("command, stdout, stderr, code", [
    pytest.param("exec bb -- cat /dev/null", "", "", 0, id="/dev/null reads empty"),
    pytest.param("exec bb -- sh -c 'echo x > /dev/null; echo y > /dev/stderr'", "", "y\n", 0,
                 id="a write to /dev/null is dropped, /dev/stderr is the stream"),
    pytest.param("exec bb -- cat /proc/1/cmdline", "sleep\x003600\x00", "", 0,
                 id="/proc/1/cmdline is PID 1's command and arguments, each ended by a NUL"),
    pytest.param("exec web -- cat /proc/1/cmdline", "", _not_simulated("the content of /proc/1/cmdline"), 1,
                 id="nginx renames its master process: not simulated"),
    pytest.param("exec bb -- cat /proc/version", "", _not_simulated("the content of /proc/version"), 1,
                 id="the kernel's files are there, their content not simulated"),
    pytest.param("exec bb -- cat /etc/group", "", _not_simulated("the content of /etc/group"), 1,
                 id="busybox has buildroot's /etc/group"),
    pytest.param("exec web -- cat /etc/shells", "", _not_simulated("the content of /etc/shells"), 1,
                 id="Debian's /etc/shells"),
    pytest.param("exec bb -- cat /etc/os-release", "", "cat: can't open '/etc/os-release': No such file or directory\n"
                 "command terminated with exit code 1\n", 1, id="the busybox image has no /etc/os-release"),
    pytest.param("exec web -- head -n 1 /etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', "", 0,
                 id="nginx:1.27 is Debian 12"),
    pytest.param("exec bb -- test -f /dev/null", "", "command terminated with exit code 1\n", 1,
                 id="a device is no regular file"),
])
def test_files_every_image_has(cluster, command, stdout, stderr, code):
    assert _exec(cluster, command) == (stdout, stderr, code)


@pytest.mark.parametrize("command, stdout, stderr, code", [
    pytest.param("exec bb -- sh -c 'echo a $(nosuch) b'", "a b\n", "sh: nosuch: not found\n", 0,
                 id="an empty unquoted $(...) makes no field"),
    pytest.param("exec bb -- sh -c 'echo \"[$(nosuch)]\"'", "[]\n", "sh: nosuch: not found\n", 0,
                 id="a quoted one is an empty string"),
    pytest.param("exec bb -- sh -c 'x=\"a   b\"; echo $x \"$x\"'", "a b a   b\n", "", 0,
                 id="an unquoted expansion is split at blanks"),
    pytest.param("exec bb -- sh -c 'sleep 1 &'", "", _not_simulated("running a command in the background (&)"), 1,
                 id="a background job says it is not simulated"),
    pytest.param("exec bb -- sh -c \"echo '&'\"", "&\n", "", 0, id="a quoted & is a word"),
    pytest.param("exec web -- bash -c 'echo $BASH_VERSION'", "", _not_simulated("the shell's own variable BASH_VERSION"),
                 1, id="bash's own variables are not simulated"),
    pytest.param("exec bb -- sh -c 'echo $PPID'", "", _not_simulated("the shell's own variable PPID"), 1,
                 id="nor the shell's PPID"),
    pytest.param("exec bb -- sh -c 'echo [$BASH_VERSION]'", "[]\n", "", 0, id="ash has no BASH_VERSION: empty"),
    pytest.param("exec bb -- sh -c 'x=1; echo $?'", "",
                 _not_simulated("expanding shell variables and command substitution"), 1,
                 id="special parameters are not simulated in a script with variables either"),
])
def test_shell_expansions(cluster, command, stdout, stderr, code):
    assert _exec(cluster, command) == (stdout, stderr, code)


@pytest.mark.parametrize("command, stdout", [
    pytest.param("exec web -- wc /etc/hosts", "  8  20 198 /etc/hosts\n",
                 id="GNU wc's columns are as wide as the file's size"),
    pytest.param("exec web -- sh -c 'cat /etc/hosts | wc'", "      8      20     198\n",
                 id="7 wide for a pipe"),
    pytest.param("exec web -- wc -l /etc/hosts", "8 /etc/hosts\n", id="one count of one file is not padded"),
    pytest.param("exec web -- wc -l /etc/hosts /etc/hostname", "  8 /etc/hosts\n  1 /etc/hostname\n  9 total\n",
                 id="several files: the width of their total size"),
    pytest.param("exec bb -- wc /etc/hosts", "        8        20       197 /etc/hosts\n",
                 id="BusyBox pads every column to 9"),
    pytest.param("exec bb -- sh -c 'cat /etc/hosts | wc -l'", "8\n", id="BusyBox: one count of stdin unpadded"),
])
def test_wc_columns(cluster, command, stdout):
    assert _exec(cluster, command) == (stdout, "", 0)


# -- the tools on their own ------------------------------------------------------------------------
@pytest.mark.parametrize("image, script, expected", [
    pytest.param("busybox", "printf '%-4s|%5.2f|%x|%c\\n' ab 3.14159 255 xyz", (0, "ab  | 3.14|ff|x\n", ""),
                 id="printf's flags, precision and conversions are C's"),
    pytest.param("nginx", "printf '%d\\n' 010 0x10", (0, "8\n16\n", ""),
                 id="printf reads numbers as C does: 010 is octal"),
    pytest.param("busybox", "printf '%d' abc", (1, "", "k8slearn: printf of the number 'abc' is not simulated\n"),
                 id="a number printf cannot read is not simulated"),
    pytest.param("busybox", "printf '%b' 'a\\tb\\n'", (0, "a\tb\n", ""), id="printf %b turns the argument's escapes"),
    pytest.param("nginx", "mkdir /tmp/d && rmdir /tmp/d && test -d /tmp/d || echo gone", (0, "gone\n", ""),
                 id="rmdir removes an empty directory"),
    pytest.param("nginx", "mkdir -p /tmp/d/e && rmdir /tmp/d",
                 (1, "", "rmdir: failed to remove '/tmp/d': Directory not empty\n"), id="but not one with something in it"),
    pytest.param("busybox", "rmdir /etc", (1, "", "k8slearn: what is in /etc is not simulated\n"),
                 id="a directory the simulation does not know all of says so"),
    pytest.param("busybox", "echo one two one | grep -o -w one", (0, "one\none\n", ""),
                 id="grep -ow prints each whole word"),
    pytest.param("busybox", "printf 'a\\nb\\nc\\n' | grep -m 2 -n .", (0, "1:a\n2:b\n", ""), id="grep -m stops after N"),
    pytest.param("busybox", "echo a | grep -m \u00b2 a", (1, "", "k8slearn: grep -m without its value is not simulated\n"),
                 id="grep -m with a superscript two, a digit to Python but no number, is not simulated"),
    pytest.param("nginx", "printf 'x1\\ny22\\n' | grep '[[:digit:]]\\{2\\}'", (0, "y22\n", ""),
                 id="a basic pattern with a class and an interval"),
    pytest.param("nginx", "printf 'ab\\n' | grep -q a && echo yes", (0, "yes\n", ""), id="grep -q prints nothing"),
    pytest.param("busybox", "seq 1.5 3", (1, "", "k8slearn: seq 1.5 3 is not simulated\n"),
                 id="seq of numbers that are not whole is not simulated"),
    pytest.param("busybox", "head -c 3 -", (0, "", ""), id="head of an empty stdin prints nothing"),
    pytest.param("nginx", "pwd; cd /tmp", (1, "/\n", "k8slearn: the shell builtin 'cd' is not simulated\n"),
                 id="pwd is the shell's builtin; cd is not simulated"),
])
def test_tools_in_a_script(image, script, expected):
    assert run(["sh", "-c", script], ExecContext(image, files={}, interactive=True)) == expected


def test_an_exec_probe_with_a_program_the_image_lacks_cannot_start():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      exec: {command: [pgrep, nginx]}
      periodSeconds: 5
""")
    c.settle()
    c.run(20)
    status = c.api.get("pods", "probed")["status"]["containerStatuses"][0]
    assert status["ready"] is False
    assert 'exec: "pgrep": executable file not found in $PATH' in c.kubectl("describe pod probed").stdout
