"""The directories above a volume's mount point: runc makes the ones the image lacks (``/data``
for a volume at ``/data/demo``), so they exist and list the mount points under them."""

import pytest

from k8slearn.kubelet.container_fs import Mount, MountedFiles, listing, lookup
from k8slearn.kubelet.exec_context import ExecContext
from k8slearn.kubelet.exec_sync import run


def _ctx(image: str, *paths: str) -> ExecContext:
    return ExecContext(image, files=MountedFiles({}, tuple(Mount(p, {}) for p in paths)), interactive=True)


@pytest.mark.parametrize("image, mounts, command, output", [
    pytest.param("busybox", ["/data/demo"], ["ls", "/data"], (0, "demo\n", ""),
                 id="the runtime's /data above an emptyDir at /data/demo lists the mount point"),
    pytest.param("busybox", ["/data/demo"], ["test", "-d", "/data"], (0, "", ""),
                 id="the runtime's /data is a directory"),
    pytest.param("busybox", ["/a/b/c", "/a/x"], ["ls", "/a"], (0, "b\nx\n", ""),
                 id="a directory above two mounts lists both"),
    pytest.param("busybox", ["/data/demo"], ["ls", "/nope"], (1, "", "ls: /nope: No such file or directory\n"),
                 id="a directory above no mount is still missing"),
])
def test_the_directories_above_a_mount_point_exist(image, mounts, command, output):
    assert run(command, _ctx(image, *mounts)) == output


def test_the_root_of_a_busybox_container_lists_the_runtime_made_directory():
    assert "data" in listing("/", _ctx("busybox", "/data/demo"))


@pytest.mark.parametrize("image, mount, path", [
    pytest.param("busybox", "/etc/config", "/etc", id="an image's own /etc stays not fully known"),
    pytest.param("nginx", "/usr/share/nginx/html/extra", "/usr/share", id="an image's /usr/share stays not known"),
])
def test_an_image_directory_above_a_mount_is_not_listed_as_if_known(image, mount, path):
    ctx = _ctx(image, mount)
    assert lookup(path, ctx) is not None and listing(path, ctx) is None
