"""Snapshot save, restore and status (etcdctl snapshot save / etcdutl snapshot restore, status)."""

import zlib

import pytest

from k8slearn.etcd import MVCCStore, SnapshotStatus, snapshot_status
from k8slearn.etcd.snapshot import humanize_bytes


def busy_store():
    s = MVCCStore()
    s.lease_grant(60, lease_id=5)  # (no revision)
    s.put("/registry/pods/default/a", '{"n":1}')  # 2
    s.put("/registry/pods/default/a", '{"n":2}', lease=5)  # 3
    s.put("/registry/pods/default/b", "héllo")  # 4
    s.delete("/registry/pods/default/b")  # 5
    s.put("/registry/minions/n1", b"\x00\xff")  # 6
    s.delete("/registry/pods/default/a")  # 7
    s.put("/registry/pods/default/a", "again")  # 8
    s.compact(3)
    return s


def reads(s):
    revs = range(s.compact_revision, s.revision + 1)
    return [(r, s.range("", revision=r)) for r in revs], [(e.type, e.kv, e.prev_kv) for e in
                                                          s.watch("", start_revision=s.compact_revision)]


def test_restore_gives_back_revision_compaction_data_and_history(tmp_path):
    s = busy_store()
    path = str(tmp_path / "snapshot.db")
    s.snapshot(path)
    r = MVCCStore.restore(path)
    assert (r.revision, r.compact_revision, r.db_size) == (s.revision, s.compact_revision, s.db_size)
    assert reads(r) == reads(s)
    assert list(r._entries()) == list(s._entries())


def test_a_restored_store_goes_on_from_the_same_revision_independently(tmp_path):
    s = busy_store()
    path = str(tmp_path / "snapshot.db")
    s.snapshot(path)
    r = MVCCStore.restore(path)
    assert r.put("/registry/pods/default/a", "after") == 9
    assert r.get("/registry/pods/default/a").version == 2
    assert s.get("/registry/pods/default/a").value == b"again" and s.revision == 8
    with pytest.raises(Exception, match="compacted"):
        r.get("/registry/pods/default/a", revision=2)


def test_restore_of_a_fresh_store(tmp_path):
    path = str(tmp_path / "empty.db")
    MVCCStore().snapshot(path)
    r = MVCCStore.restore(path)
    assert (r.revision, r.compact_revision, r.range("")) == (1, 0, [])
    assert r.put("a", "1") == 2


def test_restore_keeps_a_key_whose_only_version_is_a_tombstone(tmp_path):
    s = MVCCStore()
    s.put("a", "1")
    s.delete("a")
    s.compact(3)
    path = str(tmp_path / "snapshot.db")
    s.snapshot(path)
    r = MVCCStore.restore(path)
    assert [(e.type, e.kv.mod_revision) for e in r.watch("", start_revision=3)] == [("DELETE", 3)]
    assert r.put("a", "2") == 4 and r.get("a").create_revision == 4


def test_snapshot_status_reports_hash_revision_stored_versions_and_size(tmp_path):
    s = busy_store()
    path = tmp_path / "snapshot.db"
    s.snapshot(str(path))
    data = path.read_bytes()
    st = snapshot_status(str(path))
    assert st == SnapshotStatus(f"{zlib.crc32(data):08x}", 8, len(list(s._entries())), len(data))
    assert st.total_keys == 6  # revision 3 (a, kept at the compaction) and 4..8
    assert str(st) == f"{st.hash}, 8, 6, {humanize_bytes(len(data))}"


def test_snapshots_of_equal_stores_are_identical(tmp_path):
    busy_store().snapshot(str(tmp_path / "one.db"))
    busy_store().snapshot(str(tmp_path / "two.db"))
    assert (tmp_path / "one.db").read_bytes() == (tmp_path / "two.db").read_bytes()
    assert snapshot_status(str(tmp_path / "one.db")) == snapshot_status(str(tmp_path / "two.db"))


@pytest.mark.parametrize(
    "content",
    [b"", b"not json\n", b'{"format":"other"}\n'],
    ids=[
        "an empty file is not a snapshot",
        "a text file is not a snapshot",
        "another JSON format is not a snapshot",
    ],
)
def test_a_file_that_is_not_a_snapshot_is_refused(tmp_path, content):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="^snapshot file is not a k8slearn etcd snapshot$"):
        MVCCStore.restore(str(path))
    with pytest.raises(ValueError, match="^snapshot file is not a k8slearn etcd snapshot$"):
        snapshot_status(str(path))


@pytest.mark.parametrize(
    "n, want",
    [(0, "0 B"), (9, "9 B"), (10, "10 B"), (999, "999 B"), (1000, "1.0 kB"), (25_000, "25 kB"),
     (1_540_000, "1.5 MB"), (2_147_483_648, "2.1 GB")],
    ids=[
        "zero bytes",
        "single digits are plain bytes",
        "ten bytes keep the unit B",
        "just under a kilobyte is still bytes",
        "one kilobyte has one decimal",
        "from ten units on there are no decimals",
        "megabytes round to one decimal",
        "the 2 GiB etcd quota reads as 2.1 GB",
    ],
)
def test_humanize_bytes_prints_sizes_as_etcdutl(n, want):
    assert humanize_bytes(n) == want


def test_status_line_uses_etcdutl_simple_format():
    assert str(SnapshotStatus("cf1550fb", 3, 3, 25_000)) == "cf1550fb, 3, 3, 25 kB"


def _saved(tmp_path):
    s = MVCCStore()
    for i in range(5):
        s.put(f"/registry/configmaps/default/c{i}", "x" * 40)
    path = tmp_path / "snap.db"
    s.snapshot(str(path))
    return path


@pytest.mark.parametrize("damage, error", [
    (lambda data: data[:len(data) // 2], "snapshot missing hash but --skip-hash-check=false"),
    (lambda data: data.replace(b"eHh4", b"eXh4", 1), "expected sha256 ["),
    (lambda data: b"not a snapshot\n", "snapshot file is not a k8slearn etcd snapshot"),
], ids=["a file cut short has lost its hash", "a changed byte no longer matches the hash", "another file"])
def test_a_damaged_snapshot_is_refused_as_etcdutl_refuses_it(tmp_path, damage, error):
    path = _saved(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError) as info:
        MVCCStore.restore(str(path))
    assert str(info.value).startswith(error)


def test_snapshot_status_does_not_count_the_hash_line(tmp_path):
    assert snapshot_status(str(_saved(tmp_path))).total_keys == 5
