"""Item 4: nothing from a cache runs code or crashes a command; a bad entry is a miss."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from kfboot.manifests import cache
from kfboot.manifests.build import Outcome
from kfboot.render.templating import templates_dir
from tests.adversarial.harness import TIME_LIMIT, _limit_memory, bounded
from tests.conftest import DEFAULT_CATALOG


def _plant_jinja_entries(cache_home: Path, payload: bytes | None, marker: Path) -> None:
    """Entries where Jinja's FileSystemBytecodeCache looked for every template: either garbage
    (``payload``) or valid-looking buckets whose code writes ``marker`` when loaded."""
    directory = cache_home / "kfboot" / f"jinja-{jinja2.__version__}"
    directory.mkdir(parents=True)
    bcc = jinja2.FileSystemBytecodeCache(str(directory))
    root = templates_dir()
    for template in (p for p in root.rglob("*") if p.is_file()):
        source = template.read_text(encoding="utf-8")
        key = bcc.get_cache_key(template.relative_to(root).as_posix(), str(template))
        bucket = jinja2.bccache.Bucket(jinja2.Environment(), key, bcc.get_source_checksum(source))
        path = directory / (bcc.pattern % key)
        if payload is not None:
            path.write_bytes(payload)
            continue
        bucket.code = compile(f"open({str(marker)!r}, 'w').write('pwned')", "x", "exec")
        with path.open("wb") as handle:
            bucket.write_bytecode(handle)


@pytest.mark.parametrize("payload", [None, b"\x00garbage", jinja2.bccache.bc_magic + b"\x80"])
def test_a_hostile_template_cache_never_runs_or_crashes(
    tmp_path: Path, payload: bytes | None
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(DEFAULT_CATALOG, project / "waves.yaml")
    marker = tmp_path / "pwned"
    _plant_jinja_entries(tmp_path / "cache", payload, marker)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for command in ("render", "check"):
        result = bounded(command, cwd=project, env=env)
        assert result.exit_code == 0, result
        assert "Traceback" not in result.stderr
    assert not marker.exists()


def _records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    directory = cache.cache_dir()
    directory.mkdir(parents=True)
    return directory


@pytest.mark.parametrize(
    "text",
    [
        '{"ok": true, "objects": [1]}',
        '{"ok": true, "error": "", "objects": [["v1", "Namespace", "", "x", {"a": 1}, null]]}',
        '{"ok": true, "error": "", "objects": [["v1", "Kind", "", "x", {}, ["g", "K"]]]}',
        '{"ok": "yes", "error": "", "objects": []}',
        '{"ok": true, "error": "", "obj',
        "[1, 2]",
        "\udcff",
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_a_foreign_or_truncated_build_record_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    directory = _records(tmp_path, monkeypatch)
    (directory / "k.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    record = cache.load("k")
    assert record is None or Outcome.from_record(record) is None


def test_a_build_record_is_never_read_through_a_symlink_or_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _records(tmp_path, monkeypatch)
    (directory / "zero.json").symlink_to("/dev/zero")
    good = {"ok": True, "error": "", "objects": []}
    (tmp_path / "elsewhere.json").write_text(json.dumps(good))
    (directory / "link.json").symlink_to(tmp_path / "elsewhere.json")
    os.mkfifo(directory / "fifo.json")
    assert cache.load("zero") is None
    assert cache.load("link") is None
    assert cache.load("fifo") is None
    (directory / "real.json").write_text(json.dumps(good))
    record = cache.load("real")
    assert record is not None and Outcome.from_record(record) is not None


def test_no_pickle_or_marshal_in_the_package() -> None:
    """No cache reader may come back: nothing in kfboot unpickles or unmarshals."""
    package = Path(cache.__file__).resolve().parents[1]
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for word in ("import pickle", "import marshal", "BytecodeCache", "shelve"):
            assert word not in text, (source, word)


_HASH_TREE = """
import sys
from pathlib import Path
from kfboot.manifests.cache import Hasher
print(len(Hasher().tree(Path(sys.argv[1]))))
"""


def test_the_build_key_reads_regular_files_only(tmp_path: Path) -> None:
    """check --manifests hashes every file of a component's tree: a README -> /dev/zero
    exhausted memory, a FIFO hung it. Run under the harness's memory and time limits."""
    tree = tmp_path / "component"
    tree.mkdir()
    (tree / "kustomization.yaml").write_text("resources: [deploy.yaml]\n")
    (tree / "README").symlink_to("/dev/zero")
    os.mkfifo(tree / "pipe")
    proc = subprocess.run(
        [sys.executable, "-c", _HASH_TREE, str(tree)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "3"


def test_a_large_input_is_keyed_without_being_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_HASHED", 1000)
    big, small = tmp_path / "big", tmp_path / "small"
    big.write_bytes(b"x" * 5000)
    small.write_bytes(b"y" * 10)
    first = cache.Hasher().file(big), cache.Hasher().file(small)
    big.write_bytes(b"z" * 5001)
    small.write_bytes(b"w" * 10)
    second = cache.Hasher().file(big), cache.Hasher().file(small)
    assert first[0] != second[0] and first[1] != second[1]  # a change is still a change
