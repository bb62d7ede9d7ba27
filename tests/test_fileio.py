"""The one atomic writer: all or nothing, nothing left behind, one clean error."""

from __future__ import annotations

import errno
import os

import pytest

from reports_gen.fileio import WriteError, atomic_open, atomic_write


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "a.csv"
    atomic_write(target, "old\n")
    atomic_write(target, "new\n")
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.csv"]


def test_an_error_inside_the_block_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "a.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write(b"half")
        raise RuntimeError("crash")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_clean_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteError) as caught:
            atomic_write(folder / "a.csv", "x")
    finally:
        folder.chmod(0o700)
    assert caught.value.errno == errno.EACCES
    assert str(caught.value).endswith("error: could not write: permission denied")
    assert list(folder.iterdir()) == []


def test_a_full_disk_is_one_clean_error(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "a.csv"
    with pytest.raises(WriteError) as caught:
        atomic_write(target, "x")
    assert str(caught.value) == f"{target}: error: could not write: the disk is full"
    assert list(tmp_path.iterdir()) == []
