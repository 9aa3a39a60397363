"""The programs an exec runs inside a simulated container: a few BusyBox / coreutils tools.

A command started by ``kubectl exec`` (or an exec probe) runs in the container's namespaces: it
sees the container's own files, the three files the kubelet mounts into every container of the pod
(/etc/hosts, /etc/resolv.conf, /etc/hostname; :mod:`k8slearn.kubelet.pod_files`), and the pod's
one network namespace, so ``wget http://localhost`` from a sidecar reaches the web server in the
other container. :class:`ExecContext` is that view; :func:`run_tool` runs one program in it:

>>> ctx = ExecContext("busybox", files={}, etc={"/etc/hostname": "web\\n"}, hostname="web", pod_ip="10.244.1.5")
>>> run_tool(["hostname", "-i"], "", ctx)
(0, '10.244.1.5 \\n', '')
>>> run_tool(["cat", "/etc/hostname", "/nope"], "", ctx)
(1, 'web\\n', "cat: can't open '/nope': No such file or directory\\n")
>>> run_tool(["wget", "-qO-", "http://localhost"], "", ctx)
(1, '', "wget: can't connect to remote host (127.0.0.1): Connection refused\\n")
>>> run_tool(["grep", "-c", "o"], "one\\ntwo\\nsix\\n", ctx)
(0, '2\\n', '')

>>> run_tool(["grep", "-n", "o"], "one\\ntwo\\nsix\\n", ctx)
(0, '1:one\\n2:two\\n', '')
>>> run_tool(["printf", "%s=%d\\\\n", "a", "1", "b", "2"], "", ctx)
(0, 'a=1\\nb=2\\n', '')

BusyBox images (busybox, alpine, agnhost) print BusyBox's messages, the others GNU coreutils'.
A result is an :class:`Output`: the tuple (exit code, stdout, stderr), whose ``chunks`` keep the
two streams in the order the program wrote them (``cat /a /nope /b``: a's text, the error, b's).

Which image has which program is explicit where the simulation knows it (:data:`IMAGE_TOOLS`):
the busybox image has BusyBox 1.36's applets (``vi``, ``ps``, ``ip``, ``nslookup``, ``wget``; no
``curl`` or ``bash``), nginx and debian the programs of a Debian 12 slim image (coreutils,
util-linux, bash, dash...; no ``ps``, ``ip``, ``ping``, ``nslookup`` or ``wget``; nginx adds
``curl``). A program the image lacks is runc's ``executable file not found in $PATH`` when
``kubectl exec`` starts it (a path with a slash: ``stat PATH: no such file or directory``), and
the shell's ``not found`` (exit code 127) inside ``sh -c``:

>>> run_tool(["ps"], "", ExecContext("nginx", files={}, interactive=True), shell="sh")
(127, '', 'sh: 1: ps: not found\\n')
>>> run_tool(["vi"], "", ExecContext("busybox", files={}, interactive=True))[2].split(";")[0]
"k8slearn: 'vi' is not simulated"

Simplified: the tools are ``cat`` (``-n``, ``-b``), ``ls`` (names only), ``test``/``[``,
``echo``, ``printf``, ``true``, ``false``, ``pwd``, ``hostname`` (``-s``, ``-f``, ``-d``, ``-i``,
and Debian's ``-I``; setting the name fails as in an unprivileged container), ``grep`` (``-i -v
-c -q -n -o -x -w -l -L -E -F -h -H -s -e -m``, POSIX basic or extended patterns), ``head`` and
``tail`` (``-n``, ``-c``, ``-q``, ``-v``), ``wc`` (``-l -w -c -m``, in BusyBox's or GNU's
columns), ``seq`` (whole numbers), ``touch``, ``mkdir``, ``rm``, ``rmdir``, ``sleep`` (returns at
once), ``date`` (the simulated clock, UTC), ``env`` and ``printenv``
(:mod:`k8slearn.kubelet.exec_env`), ``id`` and ``whoami`` (the securityContext's user and groups:
:mod:`k8slearn.kubelet.exec_id`), BusyBox's ``wget`` (plain HTTP, no progress meter) and BusyBox's ``ps``
(:mod:`k8slearn.kubelet.exec_ps`). An
option of theirs that is not modelled, other programs the image has (``vi``, ``curl`` in nginx,
``nslookup`` in BusyBox...) and usage texts are not run: a probe that uses them is taken to
succeed, and ``kubectl exec`` (and a container's own program, in its log) says that the
simulation does not run them rather than print made-up output. ``wget`` reaches the pod's own network namespace and other pods by IP
(:mod:`k8slearn.kubelet.exec_wget`); there is no kube-proxy or cluster DNS in the simulation yet.
Files hold text only (:mod:`k8slearn.kubelet.container_fs`); the images' files are known only in
part, and a file or directory whose contents the simulation does not know says so. Images
outside :data:`IMAGE_TOOLS` (alpine, httpd, python...) have the tools the simulation runs and a
list of common ones (:data:`ASSUMED_OK`).

Upstream: none in Kubernetes (these are the workloads' tools): BusyBox 1.36 (coreutils, grep,
wget, hostname applets: coreutils/wc.c, findutils/grep.c, networking/hostname.c), GNU coreutils
9.1 (wc's compute_number_width), GNU grep 3.8, hostname 3.23 (Debian), runc (LookPath's errors)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from datetime import timedelta

from k8slearn.api.meta import EPOCH
from k8slearn.kubelet.container_fs import (
    DIR,
    IMAGE_WORKDIR,
    WORKDIR,
    ReadOnlyFileSystem,
    listing,
    lookup,
)
from k8slearn.kubelet.exec_context import NO_USERLAND, ExecContext, not_simulated
from k8slearn.kubelet.exec_env import env, printenv
from k8slearn.kubelet.exec_common import (
    NotModelled,
    Output,
    Printer,
    Usage,
    _pair,
    getopt,
    paths_in,
    read_file,
)
from k8slearn.kubelet.exec_grep import _grep
from k8slearn.kubelet.exec_id import _id, _whoami
from k8slearn.kubelet.exec_ps import _ps, start_process
from k8slearn.kubelet.exec_text import _head_tail, _printf, _seq, _wc
from k8slearn.kubelet.exec_wget import wget

__all__ = ["BUSYBOX_APPLETS", "COREUTILS", "DEBIAN_BOOKWORM", "DIR", "ExecContext", "IMAGE_TOOLS", "Output",
           "available", "executable_at", "not_simulated", "reads_stdin", "redirect_read_only_error", "run_tool",
           "tool_read_only_error"]


# -- which image has which program ---------------------------------------------------------------
# The programs the simulation runs (BusyBox's wget only in BusyBox images).
COREUTILS = {"cat", "ls", "test", "[", "true", "false", "echo", ":", "hostname", "grep", "head", "tail",
             "wc", "touch", "mkdir", "rm", "rmdir", "sleep", "env", "printenv", "date", "pwd", "printf", "seq",
             "id", "whoami"}
BUSYBOX_ONLY = {"wget", "ps"}
# BusyBox 1.36's applets as the busybox image installs them (``make defconfig``; each a link in /bin)
BUSYBOX_APPLETS = frozenset("""
[ [[ acpid add-shell addgroup adduser adjtimex ar arch arp arping ascii ash awk base32 base64 basename bc beep
blkdiscard blkid blockdev bootchartd brctl bunzip2 busybox bzcat bzip2 cal cat chat chattr chgrp chmod chown
chpasswd chpst chroot chrt chvt cksum clear cmp comm conspy cp cpio crc32 crond crontab cryptpw cttyhack cut date
dc dd deallocvt delgroup deluser depmod devmem df dhcprelay diff dirname dmesg dnsd dnsdomainname dos2unix dpkg
dpkg-deb du dumpkmap dumpleases echo ed egrep eject env envdir envuidgid ether-wake expand expr factor fakeidentd
fallocate false fatattr fbset fbsplash fdflush fdformat fdisk fgconsole fgrep find findfs flock fold free
freeramdisk fsck fsck.minix fsfreeze fstrim fsync ftpd ftpget ftpput fuser getconf getopt getty grep groups gunzip
gzip halt hd hdparm head hexdump hexedit hostid hostname httpd hush hwclock i2cdetect i2cdump i2cget i2cset
i2ctransfer id ifconfig ifdown ifenslave ifplugd ifup inetd init inotifyd insmod install ionice iostat ip ipaddr
ipcalc ipcrm ipcs iplink ipneigh iproute iprule iptunnel kbd_mode kill killall killall5 klogd last less link
linux32 linux64 linuxrc ln loadfont loadkmap logger login logname logread losetup lpd lpq lpr ls lsattr lsmod lsof
lspci lsscsi lsusb lzcat lzma lzop makedevs makemime man md5sum mdev mesg microcom mim mkdir mkdosfs mke2fs mkfifo
mkfs.ext2 mkfs.minix mkfs.vfat mknod mkpasswd mkswap mktemp modinfo modprobe more mount mountpoint mpstat mt mv
nameif nanddump nandwrite nbd-client nc netstat nice nl nmeter nohup nologin nproc nsenter nslookup ntpd nuke od
openvt partprobe passwd paste patch pgrep pidof ping ping6 pipe_progress pivot_root pkill pmap popmaildir poweroff
powertop printenv printf ps pscan pstree pwd pwdx raidautorun rdate rdev readahead readlink readprofile realpath
reboot reformime remove-shell renice reset resize resume rev rm rmdir rmmod route rpm rpm2cpio rtcwake run-init
run-parts runlevel runsv runsvdir rx script scriptreplay sed seedrng sendmail seq setarch setconsole setfattr
setfont setkeycodes setlogcons setpriv setserial setsid setuidgid sh sha1sum sha256sum sha3sum sha512sum showkey
shred shuf slattach sleep smemcap softlimit sort split ssl_client start-stop-daemon stat strings stty su sulogin
sum sv svc svlogd svok swapoff swapon switch_root sync sysctl syslogd tac tail tar taskset tc tcpsvd tee telnet
telnetd test tftp tftpd time timeout top touch tr traceroute traceroute6 tree true truncate ts tsort tty ttysize
tunctl ubiattach ubidetach ubimkvol ubirename ubirmvol ubirsvol ubiupdatevol udhcpc udhcpc6 udhcpd udpsvd uevent
umount uname unexpand uniq unix2dos unlink unlzma unshare unxz unzip uptime users usleep uudecode uuencode vconfig
vi vlock volname w wall watch watchdog wc wget which who whoami whois xargs xxd xz xzcat yes zcat zcip
""".split()) | {"getconf"}  # (getconf is copied in from Debian)
# The programs on PATH in Debian 12 (bookworm) slim images: the essential and required packages
# (coreutils, bash, dash, util-linux, findutils, grep, sed, mawk, gzip, tar, diffutils, hostname,
# debianutils, login, passwd, mount, ncurses-bin, libc-bin, dpkg, apt, perl-base...). No procps,
# iproute2, iputils, dnsutils, net-tools, wget, less or vi.
DEBIAN_BOOKWORM = frozenset("""
[ arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown chroot cksum comm cp csplit cut date dd df dir
dircolors dirname du echo env expand expr factor false fmt fold groups head hostid id install join link ln logname
ls md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste pathchk pinky pr printenv printf ptx pwd
readlink realpath rm rmdir runcon seq sha1sum sha224sum sha256sum sha384sum sha512sum shred shuf sleep sort split
stat stdbuf stty sum sync tac tail tee test timeout touch tr true truncate tsort tty uname unexpand uniq unlink
users vdir wc who whoami yes
bash bashbug clear_console rbash dash sh
add-shell installkernel ischroot remove-shell run-parts savelog tempfile update-shells which
cmp diff diff3 sdiff find xargs grep egrep fgrep rgrep sed mawk awk tar rmt
gzip gunzip zcat gzexe uncompress zcmp zdiff zegrep zfgrep zforce zgrep zless zmore znew
hostname dnsdomainname domainname nisdomainname ypdomainname
login nologin faillog lastlog newgrp sg su
passwd chage chfn chsh expiry gpasswd chpasswd chgpasswd cpgr cppw groupadd groupdel groupmems groupmod grpck
grpconv grpunconv newusers pwck pwconv pwunconv useradd userdel usermod vigr vipw shadowconfig
getconf getent iconv ldd locale localedef tzselect zdump ldconfig iconvconfig
perl dpkg dpkg-deb dpkg-divert dpkg-maintscript-helper dpkg-query dpkg-realpath dpkg-split dpkg-statoverride
dpkg-trigger update-alternatives start-stop-daemon apt apt-get apt-cache apt-cdrom apt-config apt-key apt-mark
debconf debconf-apt-progress debconf-communicate debconf-copydb debconf-escape debconf-set-selections debconf-show
dpkg-preconfigure dpkg-reconfigure clear captoinfo infocmp infotocap reset tabs tic toe tput tset
mount umount losetup swapon swapoff agetty blkdiscard blkid blkzone blockdev chcpu chmem choom chrt ctrlaltdel
dmesg fallocate findfs findmnt flock fsck fsck.minix fsfreeze fstrim getopt hwclock ionice ipcmk ipcrm ipcs
isosize lsblk lscpu lsipc lsirq lslocks lslogins lsmem lsns mcookie mesg mkfs mkfs.bfs mkfs.minix mkswap more
mountpoint namei nsenter partx pivot_root prlimit readprofile rename.ul resizepart rtcwake runuser setarch setpriv
setsid setterm sulogin swaplabel switch_root taskset uclampset unshare utmpdump wdctl whereis wipefs zramctl
linux32 linux64 addpart delpart ldattach logger renice script scriptlive scriptreplay wall
fstab-decode killall5 pidof deb-systemd-helper deb-systemd-invoke invoke-rc.d service update-rc.d gpgv
update-passwd pam-auth-update pam_getenv kill e2fsck mke2fs tune2fs chattr lsattr
""".split())  # (kill, tempfile and e2fsprogs: not sure, so said to be there, and not simulated)
# image -> the programs on its PATH; an image not here has the tools the simulation runs and
# those of ASSUMED_OK (an exec probe using one of them is taken to succeed)
IMAGE_TOOLS: dict[str, frozenset] = {
    "busybox": BUSYBOX_APPLETS,
    "debian": DEBIAN_BOOKWORM,
    # nginx's Dockerfile adds nginx with its modules, gettext-base (envsubst) and curl
    "nginx": DEBIAN_BOOKWORM | {"nginx", "nginx-debug", "njs", "curl", "envsubst", "gettext", "ngettext",
                                "gettext.sh", "update-ca-certificates", "c_rehash", "openssl"},
    # Alpine images: BusyBox's applets and what their Dockerfiles add (curlimages/curl: curl;
    # nicolaka/netshoot: the network troubleshooting tools of its README)
    "curl": BUSYBOX_APPLETS | {"curl", "/entrypoint.sh"},
    "netshoot": BUSYBOX_APPLETS | {"bash", "zsh", "curl", "dig", "host", "drill", "nslookup", "tcpdump", "tshark",
                                   "termshark", "iperf", "iperf3", "nmap", "socat", "iptables", "ip6tables", "ss",
                                   "mtr", "ethtool", "conntrack", "ipvsadm", "jq", "openssl", "nft", "swaks",
                                   "fping", "grpcurl", "websocat", "ctop", "calicoctl", "scapy", "httpie", "http"},
}
# Real tools the simulation does not run, in images whose programs are not listed above.
ASSUMED_OK = {"wget", "curl", "pgrep", "ps", "nc", "stat", "find", "redis-cli", "pg_isready", "mysqladmin",
              "nginx", "httpd", "python", "python3", "node", "/agnhost", "agnhost", "timeout",
              "whoami", "id", "nslookup", "ping", "ip", "ifconfig", "netstat", "uname",
              "df", "du", "top", "kill", "mount", "bash", "sh", "ash", "dash",
              # in BusyBox and in Debian's essential packages (coreutils, sed, mawk, findutils, debianutils)
              "tr", "cut", "sort", "uniq", "sed", "awk", "xargs", "tee", "basename", "dirname", "expr", "md5sum",
              "sha256sum", "base64", "od", "cp", "mv", "ln", "chmod", "which", "nproc", "tac", "yes", "readlink",
              "realpath"}
POD_FILES = ("/etc/hosts", "/etc/hostname", "/etc/resolv.conf")  # the pod's, mounted into each container
_BIN_DIRS = ("/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")


def available(exe: str, ctx: ExecContext) -> bool:
    """Whether the image has the program ``exe`` (a base name) on its PATH at all.

    >>> [available(tool, ExecContext("nginx", files={})) for tool in ("pwd", "curl", "ps", "wget")]
    [True, True, False, False]
    >>> [available(tool, ExecContext("busybox", files={})) for tool in ("vi", "wget", "curl", "bash")]
    [True, True, False, False]
    """
    if ctx.image in NO_USERLAND:
        return False
    tools = IMAGE_TOOLS.get(ctx.image)
    if tools is not None:
        return exe in tools
    if exe in ("bash", "dash"):  # Debian's shells; BusyBox images have ash
        return not ctx.busybox
    if exe in ("ash", "[["):  # ([[ ... ]]: BusyBox ash's bash-compatible test; dash has none)
        return ctx.busybox
    return exe in COREUTILS or exe in ASSUMED_OK or exe in BUSYBOX_ONLY


def executable_at(path: str, ctx: ExecContext) -> bool | None:
    """For a command named by a path (``/bin/sh``, ``./run``): whether the file is a program the
    image has (True), is not there (False), or is a file of the container whose running the
    simulation does not model (None)."""
    if ctx.image in NO_USERLAND:
        return False
    full = posixpath.normpath(posixpath.join(working_directory(ctx) or "/", path))
    folder, exe = posixpath.split(full)
    tools = IMAGE_TOOLS.get(ctx.image)
    if tools is not None:
        if ctx.image == "busybox":  # every applet is a link in /bin, and /usr/bin/env one more
            found = folder == "/bin" or full == "/usr/bin/env"
        else:  # merged /usr: /bin is /usr/bin, /sbin is /usr/sbin
            found = folder in _BIN_DIRS[:4]
        if found and exe in tools:
            return True
    elif folder in _BIN_DIRS and available(exe, ctx) or path == "/agnhost" and available(path, ctx):
        return True
    entry = lookup(full, ctx)
    return False if entry is None else None


def working_directory(ctx: ExecContext) -> str | None:
    """Where the process starts: the container's ``workingDir``, else the image's WORKDIR (None: not known)."""
    return ctx.etc.get(WORKDIR) or IMAGE_WORKDIR.get(ctx.image)


def not_found(command: str, shell: str, ctx: ExecContext) -> tuple[int, str, str]:
    """A shell's answer for a command it cannot find (BusyBox ash, dash or bash; exit code 127)."""
    if shell == "bash":
        what = "No such file or directory" if "/" in command else "command not found"
        return 127, "", f"bash: line 1: {command}: {what}\n"
    if ctx.busybox:
        return 127, "", f"{shell or 'sh'}: {command}: not found\n"
    return 127, "", f"{shell or 'sh'}: 1: {command}: not found\n"


def run_tool(words: list[str], stdin: str, ctx: ExecContext, shell: str = "") -> Output:
    """Run one program (``words``: its name and arguments) with ``stdin``: its exit code and output.
    ``shell``: the shell that runs it (its builtins, its message for a command it cannot find)."""
    exe, args = words[0].rsplit("/", 1)[-1], words[1:]
    if shell and words[0] in SHELL_BUILTINS:  # the shell's own commands: no working directory or variables here
        return Output(*_pair(not_simulated(f"the shell builtin '{words[0]}'") if ctx.interactive else (0, "", "")))
    if shell and words[0] in _SHELL_BUILTIN_TOOLS:  # printf, echo, test, pwd...: in the shell itself
        found: bool | None = True
    elif "/" in words[0]:
        found = executable_at(words[0], ctx)
    else:
        found = available(exe, ctx)
    if found is False:
        return Output(*_pair(not_found(words[0], shell, ctx)))
    if exe != "ps" and not (shell and words[0] in _SHELL_BUILTIN_TOOLS):
        start_process(ctx)  # a program the shell forks, or the exec's own: it takes the next PID
    tool = _TOOLS.get(exe)
    if found is None or tool is None or (exe in BUSYBOX_ONLY and not ctx.busybox):
        if not ctx.interactive:
            return Output(0)
        if found is None:
            return Output(*_pair(not_simulated(f"running {words[0]}")))
        runs = sorted(t for t in _TOOLS if t not in (":", "[", "[[") and (ctx.busybox or t not in BUSYBOX_ONLY))
        return Output(*_pair(not_simulated(f"'{exe}'", f"; the simulated containers run {', '.join(runs)} and sh -c")))
    try:
        result = tool(args, stdin, ctx)
    except ReadOnlyFileSystem as err:  # (wget -O) BusyBox's xopen under a read-only mount
        return Output(1, [("stderr", f"{exe}: can't open '{err}': Read-only file system\n")])
    except NotModelled as unmodelled:
        return Output(*_pair(not_simulated(str(unmodelled)) if ctx.interactive else (0, "", "")))
    except Usage as usage:  # getopt's complaint is real; the usage text after it is not simulated
        message, program = usage.args
        return Output(1, [("stderr", message + f"k8slearn: the usage text of {program} is not simulated\n")])
    if exe == "wget" and not isinstance(result, Output):  # its messages around the page, as it writes them
        code, out, err = result
        head, sep, tail = err.partition("writing to stdout\n")
        return Output(code, [("stderr", head + sep), ("stdout", out), ("stderr", tail)] if sep else
                      [("stderr", err), ("stdout", out)])
    return result if isinstance(result, Output) else Output(*_pair(result))


def reads_stdin(words: list[str]) -> bool:
    """Whether the command reads its standard input (``cat``, ``wc``, ``grep PATTERN``... without a
    file, or with ``-``), so that it takes what ``kubectl exec -i`` passes to a script.

    >>> reads_stdin(["cat"]), reads_stdin(["grep", "-v", "x"]), reads_stdin(["wc", "-l", "/etc/hosts"])
    (True, True, False)
    """
    if not words:
        return False
    exe = words[0].rsplit("/", 1)[-1]
    if exe not in ("cat", "wc", "grep", "egrep", "fgrep", "head", "tail", "sh", "ash", "dash", "bash"):
        return False
    operands = [w for w in words[1:] if not w.startswith("-") or w == "-"]
    if exe == "grep" and not any(w == "-e" or w.startswith("-e") for w in words[1:]):
        operands = operands[1:]  # the pattern
    if exe in ("head", "tail"):
        operands = [w for w in operands if not w.lstrip("+").isdigit()]  # (a count after -n or -c)
    if exe in ("sh", "ash", "dash", "bash"):
        return "-c" not in words[1:2] and not operands
    return not operands or "-" in operands


def date_text(now: float, fmt: str = "") -> str:
    """What ``date`` prints at simulated time ``now`` (UTC: ``Mon Jan  5 09:01:00 UTC 2026``), or
    ``date +FORMAT`` (``%s``: seconds since the Unix epoch).

    >>> date_text(60.0), date_text(60.0, "%H:%M %s")
    ('Mon Jan  5 09:01:00 UTC 2026', '09:01 1767603660')
    """
    moment = EPOCH + timedelta(seconds=now)
    if fmt:
        return moment.strftime(fmt.replace("%s", str(int(moment.timestamp()))))
    return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(" %H:%M:%S UTC %Y")


def _date(args, stdin, ctx):
    if ctx.now is None:
        return not_simulated("'date' here (no clock)")
    formats = [a[1:] for a in args if a.startswith("+")]
    if any(not (a.startswith("+") or a in ("-u", "--utc")) for a in args) or len(formats) > 1:
        return not_simulated("'date' with these arguments")
    return 0, date_text(ctx.now, formats[0] if formats else "") + "\n", ""


def _cat(args, stdin, ctx):
    """cat [-nbu] [FILE]...: the files one after the other (``-n`` numbers the lines, ``-b`` the
    lines that are not empty, the numbers going on from file to file)."""
    number = nonblank = False
    paths, options = [], True
    for arg in args:
        if options and arg == "--":
            options = False
        elif options and arg.startswith("-") and arg != "-":
            for flag in arg[1:]:
                if flag not in "nbu":
                    raise NotModelled(f"cat {arg}")
                number, nonblank = number or flag == "n", nonblank or flag == "b"
        else:
            paths.append(arg)
    printer, code, line = Printer(), 0, 1
    for path in paths or ["-"]:
        if path == "-":
            text, stdin = stdin, ""
        else:
            text, problem = read_file(path, ctx)
            if problem == "missing":
                code = 1
                printer.err(f"cat: can't open '{path}': No such file or directory\n" if ctx.busybox
                            else f"cat: {path}: No such file or directory\n")
                continue
            if problem == "dir":
                code = 1
                printer.err("cat: read error: Is a directory\n" if ctx.busybox else f"cat: {path}: Is a directory\n")
                continue
        if number or nonblank:
            numbered = []
            for part in text.splitlines(keepends=True):
                if nonblank and part == "\n":
                    numbered.append(part)
                else:
                    numbered.append(f"{line:6d}\t{part}")
                    line += 1
            text = "".join(numbered)
        printer.out(text)
    return printer.done(code)


def _ls(args, stdin, ctx):
    flags = "".join(a[1:] for a in args if a.startswith("-"))
    if ctx.interactive and flags.strip("1aA"):
        return not_simulated(f"ls -{flags}")
    hidden = "a" in flags or "A" in flags
    dots = [".", ".."] if "a" in flags else []  # -a lists the directory and its parent too
    out, err, code = "", "", 0
    paths = paths_in(args) or ["."]
    for path in paths:
        entry = DIR if path == "." else lookup(path, ctx)
        if entry is None:
            code = 1 if ctx.busybox else 2
            err += (f"ls: {path}: No such file or directory\n" if ctx.busybox
                    else f"ls: cannot access '{path}': No such file or directory\n")
        elif entry is not DIR:
            out += path + "\n"
        else:
            names = listing("/" if path == "." else path, ctx, hidden)
            if names is None:
                if ctx.interactive:
                    return not_simulated(f"the listing of {path}")
                continue
            header = f"{path}:\n" if len(paths) > 1 else ""
            out += ("\n" if out and header else "") + header + "".join(n + "\n" for n in dots + names)
    return code, out, err


def _test(args, stdin, ctx):
    """``test EXPRESSION``, ``[ EXPRESSION ]`` and BusyBox ash's ``[[ EXPRESSION ]]`` (POSIX: by the
    number of arguments; ``-a`` and ``-o``; file tests on the container's files, where root may
    read, write and run anything)."""
    name = "["
    if args and args[-1] in ("]", "]]"):
        args = args[:-1]
    else:
        name = "test"
    try:
        return (0 if _test_expression(list(args), ctx) else 1), "", ""
    except _BadNumber as bad:
        if ctx.busybox:
            return 2, "", f"sh: {bad}: bad number\n"
        return 2, "", f"sh: 1: {name}: Illegal number: {bad}\n"  # dash, the Debian images' sh


class _BadNumber(ValueError):
    """An integer comparison's operand that is not an integer (``str()``: the operand)."""


_INTEGER_TESTS = {"-eq": int.__eq__, "-ne": int.__ne__, "-lt": int.__lt__, "-le": int.__le__,
                  "-gt": int.__gt__, "-ge": int.__ge__}


def _test_expression(args: list[str], ctx) -> bool:
    for joiner in ("-o", "-a"):  # -o binds loosest
        if joiner in args[1:-1]:
            at = args.index(joiner, 1)
            left, right = _test_expression(args[:at], ctx), args[at + 1:]
            return (left or _test_expression(right, ctx)) if joiner == "-o" else \
                (left and _test_expression(right, ctx))
    if not args:
        return False
    if len(args) == 1:
        return args[0] != ""
    if args[0] == "!":
        return not _test_expression(args[1:], ctx)
    if len(args) == 2:
        op, operand = args
        if op == "-n":
            return operand != ""
        if op == "-z":
            return operand == ""
        if op in ("-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h"):
            entry = lookup(operand, ctx)
            if entry is None or op in ("-L", "-h"):
                return False
            return {"-d": entry is DIR, "-f": entry is not DIR and not operand.startswith("/dev/"),
                    "-s": entry is DIR or bool(entry)}.get(op, True)
        return True  # an unknown unary operator: taken as two strings (a simplification)
    if len(args) == 3 and args[0] == "(" and args[2] == ")":
        return _test_expression(args[1:2], ctx)
    left, op, right = args[0], args[1], args[2]
    if op in ("=", "=="):
        return left == right
    if op == "!=":
        return left != right
    if op in _INTEGER_TESTS:
        return _INTEGER_TESTS[op](_integer(left), _integer(right))
    if op in ("<", ">"):
        return left < right if op == "<" else left > right
    return True


def _integer(text: str) -> int:
    stripped = text.strip()
    if not re.fullmatch(r"[+-]?\d+", stripped):
        raise _BadNumber(text)
    return int(stripped)


def _echo(args, stdin, ctx):
    """echo [-neE] ARGS: -n without the newline, -e with backslash escapes (\\n, \\t...)."""
    flags = ""
    while args and re.fullmatch(r"-[neE]+", args[0]):
        flags, args = flags + args[0][1:], args[1:]
    text = " ".join(args)
    if "e" in flags.replace("E", "") and flags.rfind("e") > flags.rfind("E"):
        text = text.encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")
    return 0, text + ("" if "n" in flags else "\n"), ""


def _hostname(args, stdin, ctx):
    """``hostname`` [-s|-f|-d|-i ...] as BusyBox or the Debian package print it (names from the pod's
    /etc/hosts); setting the name fails, as a container may not change it."""
    return _busybox_hostname(args, ctx) if ctx.busybox else _debian_hostname(args, ctx)


_BUSYBOX_HOSTNAME_LONG = {"--domain": "d", "--fqdn": "f", "--file": "F"}


def _busybox_hostname(args, ctx):
    operands: list[str] = []
    options = getopt(args, "dfisFv", operands, _BUSYBOX_HOSTNAME_LONG, program="hostname")
    flags = [option for option, _ in options]
    if "F" in flags:
        raise NotModelled("hostname -F")
    fqdn = ctx.fqdn or ctx.hostname
    if set(flags) & set("dfi"):  # the name from /etc/hosts: -f wins, then -s, then -d, then -i
        if "f" in flags:
            return 0, fqdn + "\n", ""
        if "s" in flags:
            return 0, fqdn.split(".")[0] + "\n", ""
        if "d" in flags:
            return 0, (fqdn.split(".", 1)[1] + "\n") if "." in fqdn else "", ""
        return 0, f"{ctx.pod_ip} \n", ""
    if "s" in flags:
        return 0, ctx.hostname.split(".")[0] + "\n", ""
    if operands:  # sethostname(2) without CAP_SYS_ADMIN
        return 1, "", "hostname: sethostname: Operation not permitted\n"
    return 0, ctx.hostname + "\n", ""


_DEBIAN_HOSTNAME_LONG = {"--domain": "d", "--fqdn": "f", "--long": "f", "--short": "s", "--ip-address": "i",
                         "--all-ip-addresses": "I", "--verbose": "v", "--alias": "a", "--all-fqdns": "A",
                         "--boot": "b", "--file": "F", "--help": "h", "--version": "V", "--nis": "y", "--yp": "y"}


def _debian_hostname(args, ctx):
    operands: list[str] = []
    options = getopt(args, "aAdfbFhiIsVvy", operands, _DEBIAN_HOSTNAME_LONG, program="hostname")
    flags = [option for option, _ in options]
    shown = [f for f in flags if f != "v"]
    if set(shown) & set("aAbFhVy"):
        raise NotModelled("hostname " + " ".join(args))
    if len(operands) > 1:
        raise Usage("", "hostname")
    if operands:
        name = operands[0].strip()
        if not _valid_hostname(name):
            return 1, "", "hostname: the specified hostname is invalid\n"
        return 1, "", "hostname: you must be root to change the host name\n"  # sethostname(2): EPERM
    kind = shown[-1] if shown else ""  # the last option wins
    fqdn = ctx.fqdn or ctx.hostname
    if kind == "d":
        return 0, (fqdn.split(".", 1)[1] + "\n") if "." in fqdn else "", ""
    if kind in ("i", "I"):  # the name's addresses, or those of every interface but lo: the pod's IP
        return 0, f"{ctx.pod_ip} \n", ""
    return 0, {"f": fqdn, "s": ctx.hostname.split(".")[0]}.get(kind, ctx.hostname) + "\n", ""


def _valid_hostname(name: str) -> bool:
    """check_name of the Debian hostname: RFC 1035 letters, digits, hyphens and dots."""
    if not name or not name[0].isalnum() or not name[-1].isalnum():
        return False
    return re.fullmatch(r"[A-Za-z0-9.-]+", name) is not None and ".." not in name \
        and "-." not in name and ".-" not in name


def _pwd(args, stdin, ctx):
    """pwd [-LP]: the working directory (the container's workingDir, else the image's WORKDIR)."""
    if any(a not in ("-L", "-P") for a in args):
        raise NotModelled("pwd with these arguments")
    where = working_directory(ctx)
    if where is None:
        raise NotModelled(f"the working directory of the {ctx.image} image")
    return 0, where + "\n", ""


def _rmdir(args, stdin, ctx):
    """rmdir DIR...: an empty directory; one the simulation does not know all of says so."""
    if not args or any(a.startswith("-") and a != "-" for a in args):
        raise NotModelled("rmdir " + " ".join(args))
    printer, code = Printer(), 0
    for path in args:
        where = path.rstrip("/") or "/"
        entry = lookup(where, ctx)
        mounted = getattr(ctx.files, "mount_of", lambda p: None)(where)
        if entry is None:
            reason = "No such file or directory"
        elif entry is not DIR:
            reason = "Not a directory"
        elif mounted is not None and mounted[1] == "":
            reason = "Device or resource busy"  # a mount point
        else:
            names = listing(where, ctx, hidden=True)
            if names is None:
                raise NotModelled(f"what is in {where}")
            if names:
                reason = "Directory not empty"
            else:
                try:
                    ctx.files[where] = False
                    continue
                except ReadOnlyFileSystem:
                    reason = "Read-only file system"
        code = 1
        printer.err(f"rmdir: '{path}': {reason}\n" if ctx.busybox else f"rmdir: failed to remove '{path}': {reason}\n")
    return printer.done(code)


def _sleep(args, stdin, ctx):
    """sleep DURATION...: over at once here (every command finishes at once), but a duration that
    is none is the tool's error."""
    from k8slearn.kubelet.program_shell import sleep_seconds

    if not args:
        return 1, "", ("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n" if ctx.busybox
                       else "sleep: missing operand\nTry 'sleep --help' for more information.\n")
    if sleep_seconds(args) is None:
        bad = next(a for a in args if sleep_seconds([a]) is None)
        return 1, "", (f"sleep: invalid number '{bad}'\n" if ctx.busybox
                       else f"sleep: invalid time interval '{bad}'\nTry 'sleep --help' for more information.\n")
    return 0, "", ""


def _touch(args, stdin, ctx):
    code, err = 0, ""
    for path in paths_in(args):
        if lookup(path, ctx) is None:
            code, err = _set(ctx, path, True, "touch", code, err)
    return code, "", err


def _mkdir(args, stdin, ctx):
    parents = any(a.startswith("-") and "p" in a for a in args)
    code, err = 0, ""
    for path in paths_in(args):
        if lookup(path, ctx) is not None and not parents:
            return 1, "", _mkdir_error(path, "File exists", ctx)
        parent = posixpath.dirname(path.rstrip("/"))
        missing = []
        while parent not in ("", "/") and lookup(parent, ctx) is None:
            missing.append(parent)
            parent = posixpath.dirname(parent)
        if missing and not parents:
            code, err = 1, err + _mkdir_error(path, "No such file or directory", ctx)
            continue
        for ancestor in reversed(missing):  # -p: the parents first
            code, err = _set(ctx, ancestor, DIR, "mkdir", code, err)
        if lookup(path, ctx) is None:  # (-p of a directory that is there changes nothing)
            code, err = _set(ctx, path, DIR, "mkdir", code, err)
    return code, "", err


def _mkdir_error(path: str, reason: str, ctx) -> str:
    return (f"mkdir: can't create directory '{path}': {reason}\n" if ctx.busybox
            else f"mkdir: cannot create directory '{path}': {reason}\n")


def _rm(args, stdin, ctx):
    """``rm [-f] [-r] PATH...``: a directory only with ``-r`` (its files the container wrote go too)."""
    short = [a for a in args if a.startswith("-") and not a.startswith("--")]
    force = any("f" in a for a in short) or "--force" in args
    recursive = any("r" in a or "R" in a for a in short) or "--recursive" in args
    code, err = 0, ""
    for path in paths_in(args):
        entry = lookup(path, ctx)
        if entry is None:
            if not force:
                code = 1
                err += (f"rm: can't remove '{path}': No such file or directory\n" if ctx.busybox
                        else f"rm: cannot remove '{path}': No such file or directory\n")
            continue
        if entry is DIR and not recursive:
            code = 1
            err += (f"rm: '{path}' is a directory\n" if ctx.busybox
                    else f"rm: cannot remove '{path}': Is a directory\n")
            continue
        if entry is DIR:
            inside = path.rstrip("/") + "/"
            for child in [p for p in list(ctx.files) if p.startswith(inside) and ctx.files[p] is not False]:
                code, err = _set(ctx, child, False, "rm", code, err)
        code, err = _set(ctx, path, False, "rm", code, err)
    return code, "", err


def _set(ctx: ExecContext, path: str, value, tool: str, code: int, err: str) -> tuple[int, str]:
    """Write one entry; under a read-only mount the tool's EROFS message and exit code 1 instead
    (removing one of the kubelet's files, a mount point, is EBUSY)."""
    if path in POD_FILES and path in ctx.etc:
        return 1, err + tool_read_only_error(tool, path, ctx.busybox, "Device or resource busy")
    try:
        ctx.files[path] = value
    except ReadOnlyFileSystem:
        return 1, err + tool_read_only_error(tool, path, ctx.busybox)
    return code, err


def write_file(ctx: ExecContext, path: str, text: str, append: bool) -> None:
    """A shell's ``> path`` (``>> path``): the container's files, or the pod's /etc/hosts,
    /etc/hostname and /etc/resolv.conf, which every container of the pod shares (raises
    :class:`ReadOnlyFileSystem` under a read-only mount)."""
    if path == "/dev/null":
        return
    files = ctx.etc if path in POD_FILES and path in ctx.etc else ctx.files
    before = files.get(path)
    files[path] = ((before if isinstance(before, str) else "") if append else "") + text


def tool_read_only_error(tool: str, path: str, busybox: bool, reason: str = "Read-only file system") -> str:
    """``touch``/``mkdir``/``rm`` under a read-only mount, as BusyBox or GNU coreutils says it.

    >>> tool_read_only_error("touch", "/etc/config/x", True)
    'touch: /etc/config/x: Read-only file system\\n'
    >>> tool_read_only_error("rm", "/etc/config/x", False)
    "rm: cannot remove '/etc/config/x': Read-only file system\\n"
    """
    if tool == "touch":
        text = f"touch: {path}" if busybox else f"touch: cannot touch '{path}'"
    elif tool == "mkdir":
        text = f"mkdir: can't create directory '{path}'" if busybox else f"mkdir: cannot create directory '{path}'"
    else:
        text = f"rm: can't remove '{path}'" if busybox else f"rm: cannot remove '{path}'"
    return f"{text}: {reason}\n"


def redirect_read_only_error(shell: str, path: str, busybox: bool) -> tuple[int, str]:
    """A shell's ``> path`` under a read-only mount: (exit code, message) of BusyBox ash, dash or bash.

    >>> redirect_read_only_error("sh", "/etc/config/x", True)
    (2, "sh: can't create /etc/config/x: Read-only file system\\n")
    """
    if shell == "bash":
        return 1, f"bash: line 1: {path}: Read-only file system\n"
    if busybox:
        return 2, f"{shell}: can't create {path}: Read-only file system\n"
    return 2, f"{shell}: 1: cannot create {path}: Read-only file system\n"


# the shell's own commands the simulation does not run (inside ``sh -c``: "... is not simulated")
SHELL_BUILTINS = {"cd", "export", "set", "unset", "alias", "unalias", "source", ".", "read", "trap", "ulimit",
                  "umask", "type", "eval", "exec", "wait", "shift", "local", "return", "break", "continue", "kill",
                  "getopts", "command", "hash", "times", "jobs", "fg", "bg", "let", "history", "readonly"}
# builtins of ash and dash that the simulation runs (as the shell's own, whatever the image's PATH has)
_SHELL_BUILTIN_TOOLS = {"echo", "printf", "test", "[", "true", "false", ":", "pwd"}

_TOOLS: dict[str, Callable] = {
    "cat": _cat, "ls": _ls, "test": _test, "[": _test, "[[": _test, "echo": _echo, "hostname": _hostname, "grep": _grep,
    "head": _head_tail(False), "tail": _head_tail(True), "wc": _wc, "touch": _touch, "mkdir": _mkdir,
    "rm": _rm, "rmdir": _rmdir, "wget": wget, "env": env, "printenv": printenv, "date": _date, "pwd": _pwd,
    "printf": _printf, "seq": _seq, "true": lambda a, s, c: (0, "", ""), ":": lambda a, s, c: (0, "", ""),
    "false": lambda a, s, c: (1, "", ""), "sleep": _sleep, "id": _id, "whoami": _whoami, "ps": _ps,
}
