"""One batch of broken, hostile and odd files, plus good ones, through `archive ingest`.

Every file is either ingested correctly or rejected with a clear reason naming
it; nothing else is reported, nothing is left out, the rest of the batch is
ingested and found. The big inputs (a 100 MB text, a 5 MB line, a zip bomb)
are generated here, never committed.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.search import Archive, SearchRequest
from ingest.readers import DEFAULT_MAX_CHARS
from tests.conftest import SEEDS
from tests.reliability.conftest import ENV

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"
PROSE = "县委宣传部坚持以习近平新时代中国特色社会主义思想为指导，围绕中心、服务大局，扎实推进各项工作。"
GB_LINE = "县委宣传部召开理论学习中心组会议，传达学习上级精神。"
UTF8_LINE = "全县新时代文明实践中心建设稳步推进，志愿服务活动常态化开展。"
HUGE_BYTES = 100 * 2**20
MAX_RSS_MB = 700  # the ingest process, rejecting the 100 MB file (measured: ~290 MB)
DROP_READ_OVERRIDE = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


@dataclass
class Expect:
    status: str
    reason: str | None = None  # a regular expression the reason must match
    encoding: str | None = None  # one the encoding must match
    phrase: str | None = None  # a phrase the ingested file's document must be found by


def permission_prefix(tmp_path: Path) -> list[str] | None:
    """A command prefix under which a mode-000 file cannot be read, or None if there is none.

    The tests run as root, who reads anything: then the ingest runs with the capabilities that
    override file permissions dropped (setpriv), still as root, so it can use the venv under /root.
    """
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    prefix = [] if os.geteuid() != 0 else [shutil.which("setpriv") or "setpriv", *DROP_READ_OVERRIDE]
    try:
        check = subprocess.run([*prefix, sys.executable, "-c", f"open({str(probe)!r}).read()"],
                               capture_output=True, env=ENV)
    except OSError:
        return None
    return prefix if check.returncode != 0 and b"PermissionError" in check.stderr else None


def write_huge(path: Path) -> None:
    """A 100 MB text file: real-looking sentences, one paragraph per line."""
    line = (PROSE * 3 + "\n").encode("utf-8")
    block = line * (2**20 // len(line))
    with path.open("wb") as out:
        while out.tell() < HUGE_BYTES:
            out.write(block)


def deflate_bomb() -> bytes:
    """A .docx-shaped zip whose document.xml inflates 1:1000 (100 MB of spaces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * 2**20
            for _ in range(100):
                member.write(chunk)
    return out.getvalue()


SCRIPTS_PAGE = f"""<html><head><script>var SECRET_HEAD = 1;</script><title>t</title>
<style>.x {{ content: 'SECRET_STYLE' }}</style></head>
<body onload="SECRET_ONLOAD()"><p onclick="SECRET_ONCLICK()">{PROSE}</p>
<script type="text/javascript">document.write('SECRET_WRITE')</script>
<p>{PROSE}<img src=x onerror="SECRET_ONERROR()"><a href="javascript:SECRET_HREF()">链接</a></p>
<noscript>SECRET_NOSCRIPT</noscript><svg><script>SECRET_SVG</script></svg>
<p>{PROSE}<script>SECRET_INLINE<p>SECRET_IN_SCRIPT</p></script></p>
<template>SECRET_TEMPLATE</template><iframe srcdoc="SECRET_SRCDOC"></iframe>
<p>{PROSE}</p><script>SECRET_UNCLOSED """


def build_batch(root: Path, unreadable: bool) -> dict[str, Expect]:
    """Write the batch under root/files (and one folder outside it); the outcome expected for each path."""
    files, outside = root / "files", root / "outside"
    expect: dict[str, Expect] = {}

    def put(relative: str, data: bytes | str, outcome: Expect) -> Path:
        path = files / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[str(path)] = outcome
        return path

    for seed in sorted(SEEDS.glob("*.txt")):
        put(f"good/{seed.name}", seed.read_bytes(), Expect("ingested"))
    put("bad/empty.txt", b"", Expect("rejected", r"^empty file \(no text\)$"))
    put("bad/whitespace.txt", " \n\t\u3000\n".encode(), Expect("rejected", r"only whitespace\)$"))
    put("bad/binary-junk.txt", (FIXTURES / "binary-junk.txt").read_bytes(), Expect("rejected", r"^binary content"))
    put("bad/invalid-utf8.txt", (FIXTURES / "utf8-invalid.txt").read_bytes(),
        Expect("ingested", encoding=r"^utf-8 \(\d+ invalid bytes? replaced\)$", phrase="推进社会诚信文化建设"))
    mixed = b"\n".join([GB_LINE.encode("gb18030"), UTF8_LINE.encode("utf-8")] * 5)
    put("bad/mixed-encodings.txt", mixed, Expect("ingested", encoding=r"^utf-8 \+ gb18030 \(mixed, by line\)$",
                                                 phrase=GB_LINE[:12]))
    expect["mixed utf-8 line"] = Expect("found", phrase=UTF8_LINE[:12])
    huge = files / "bad/huge-100mb.txt"
    huge.parent.mkdir(parents=True, exist_ok=True)
    write_huge(huge)
    expect[str(huge)] = Expect("rejected", rf"^text too long \([\d,]+ characters, limit {DEFAULT_MAX_CHARS:,} per doc")
    put("bad/one-line-5mb.txt", "宣传思想工作取得新成效，" * 140_000 + "五兆字节的一行到此结束。",
        Expect("ingested", phrase="五兆字节的一行到此结束"))
    put("bad/nested-10000.html", "<html><body>" + "<div>" * 10_000 + f"<p>{PROSE}</p>" + "</div>" * 10_000,
        Expect("rejected", r"^HTML page nested too deeply"))
    put("bad/scripts.html", SCRIPTS_PAGE, Expect("ingested", phrase=PROSE[:16]))
    put("bad/truncated.docx", (FIXTURES / "truncated.docx").read_bytes(),
        Expect("rejected", r"^damaged or truncated Word file"))
    for name in ("bomb.docx", "bomb-ratio.docx"):
        put(f"bad/{name}", (FIXTURES / name).read_bytes(), Expect("rejected", r"^zip bomb suspected"))
    put("bad/deflate-bomb.docx", deflate_bomb(), Expect("rejected", r"^zip bomb suspected"))
    put("bad/encrypted.pdf", (FIXTURES / "encrypted.pdf").read_bytes(), Expect("rejected", r"^password-protected PDF"))
    put("bad/scanned.pdf", (FIXTURES / "scanned.pdf").read_bytes(), Expect("rejected", r"^no text layer"))
    put("bad/truncated.pdf", (FIXTURES / "truncated.pdf").read_bytes(), Expect("rejected", r"^damaged or truncated PDF"))
    os.mkfifo(files / "bad/pipe.txt")  # reading it would block forever
    expect[str(files / "bad/pipe.txt")] = Expect("rejected", r"^not a regular file \(a named pipe\)")
    if unreadable:
        locked = put("bad/unreadable.txt", PROSE + "权限为零的文件。", Expect("rejected", r"^cannot read file: Permission denied"))
        locked.chmod(0)
    records = [json.dumps({"title": "记录一", "text": PROSE + "导出记录一号。"}, ensure_ascii=False), "{not json",
               json.dumps({"title": "记录三", "body": "no text field"}, ensure_ascii=False)]
    put("bad/export.jsonl", "\n".join(records),
        Expect("ingested", r"^2 records skipped \(row 2: not valid JSON.*; row 3: no 'text' field\)$", phrase="导出记录一号"))

    names = ["with spaces.txt", "中文 文件名.txt", "quote\"s 'and' #hash %25 100%.txt", "<b onmouseover=alert(1)>.txt",
             "new\nline.txt"]
    for number, name in enumerate(names):
        put(f"names/{name}", f"{PROSE}\n附记{number}号：文件名检验。\n", Expect("ingested", phrase=f"附记{number}号"))
    odd = files / "names"
    with open(os.fsencode(odd) + b"/latin1-\xe9\xff.txt", "wb") as out:  # not UTF-8: Python sees surrogates
        out.write(f"{PROSE}\n附记九号：文件名检验。\n".encode())
    expect[f"{odd}/latin1-\\xe9\\xff.txt"] = Expect("ingested", phrase="附记九号")

    links = files / "links"
    links.mkdir()
    os.symlink(files / "good/001_eaa05965459b041d.txt", links / "to-file.txt")
    expect[str(links / "to-file.txt")] = Expect("duplicate", rf"^the same file as {re.escape(str(files))}/good/001")
    os.symlink(odd, links / "to-folder")
    expect[str(links / "to-folder")] = Expect("duplicate", rf"^the same folder as {re.escape(str(odd))} ")
    os.symlink(files, links / "loop")
    expect[str(links / "loop")] = Expect("duplicate", rf"^the same folder as {re.escape(str(files))} ")
    outside.mkdir()
    (outside / "linked.txt").write_text(f"{PROSE}\n链接目录里的文件。\n", encoding="utf-8")
    os.symlink(outside, links / "outside")
    expect[str(links / "outside/linked.txt")] = Expect("ingested", phrase="链接目录里的文件")
    os.symlink(links / "loop-b.txt", links / "loop-a.txt")
    os.symlink(links / "loop-a.txt", links / "loop-b.txt")
    for name in ("loop-a.txt", "loop-b.txt"):
        expect[str(links / name)] = Expect("rejected", r"^symbolic link loop")
    os.symlink(links / "gone.txt", links / "dangling.txt")
    expect[str(links / "dangling.txt")] = Expect("rejected", r"^broken symbolic link \(its target .*gone.txt")
    return expect


def run_ingest(prefix: list[str], files: Path, index: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "archive.cli", "ingest", str(files), "--index", str(index),
                           "-j", "2"], capture_output=True, env=ENV, timeout=300)


def test_a_batch_of_bad_files_never_stops_and_every_file_is_accounted_for(tmp_path):
    prefix = permission_prefix(tmp_path)
    expect = build_batch(tmp_path, unreadable=prefix is not None)
    files, index = tmp_path / "files", tmp_path / "ix"

    run = run_ingest(prefix or [], files, index)
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 1, stderr[-2000:]  # some files were rejected; the run itself went through
    assert "Traceback" not in stderr
    report = [json.loads(line) for line in (index / "ingest-report.jsonl").read_text(encoding="utf-8").splitlines()]
    by_path = {o["path"]: o for o in report}
    assert len(by_path) == len(report), "a path reported twice"
    files_expected = {p: e for p, e in expect.items() if e.status != "found"}
    assert set(by_path) == set(files_expected), "files left out or reported that should not be"
    for path, want in files_expected.items():
        got = by_path[path]
        assert got["status"] == want.status, (path, got)
        if want.reason:
            assert got["reason"] and re.search(want.reason, got["reason"]), (path, got["reason"])
        if want.encoding:
            assert re.search(want.encoding, got["encoding"]), (path, got["encoding"])
        if want.status == "rejected":
            assert f"rejected  {path}: {got['reason']}" in stderr  # named, with its reason, on the terminal

    archive = Archive(index)
    try:
        for path, want in expect.items():
            if want.phrase:
                hits = archive.search(SearchRequest(q=f'"{want.phrase}"', duplicates=True, size=50)).hits
                assert hits, (path, want.phrase)
                if want.status == "ingested":
                    assert path in {h["source_path"] for h in hits}, (path, [h["source_path"] for h in hits])
        scripts = archive.store.get(by_path[str(files / "bad/scripts.html")]["documents"][0])
        assert "SECRET" not in scripts.text + (scripts.original_text or "") + (scripts.title or "")
        for seed in sorted(SEEDS.glob("*.txt")):
            doc_ids = by_path[str(files / "good" / seed.name)]["documents"]
            assert doc_ids and all(archive.store.get(d) for d in doc_ids)
        count = archive.store.count()
    finally:
        archive.close()

    again = run_ingest(prefix or [], files, index)  # idempotent: nothing new, nothing lost, same verdicts
    assert again.returncode == 1 and b"Traceback" not in again.stderr
    second = {o["path"]: o for o in map(json.loads, (index / "ingest-report.jsonl").read_text().splitlines())}
    assert {p: o["status"] for p, o in second.items() if o["status"] != "unchanged"} == \
           {p: o["status"] for p, o in by_path.items() if o["status"] != "ingested"}
    archive = Archive(index)
    try:
        assert archive.store.count() == count
    finally:
        archive.close()


def test_unreadable_file_is_rejected_with_its_reason(tmp_path):
    prefix = permission_prefix(tmp_path)
    if prefix is None:
        pytest.skip("running as root without setpriv: a mode-000 file stays readable, no way to test this case")
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEEDS / "001_eaa05965459b041d.txt", files / "good.txt")
    (files / "locked.txt").write_text(PROSE, encoding="utf-8")
    (files / "locked.txt").chmod(0)
    run = run_ingest(prefix, files, tmp_path / "ix")
    report = {o["path"]: o for o in map(json.loads, (tmp_path / "ix/ingest-report.jsonl").read_text().splitlines())}
    assert report[str(files / "good.txt")]["status"] == "ingested"
    locked = report[str(files / "locked.txt")]
    assert locked["status"] == "rejected" and locked["reason"].startswith("cannot read file: Permission denied")
    assert run.returncode == 1 and f"rejected  {files / 'locked.txt'}: cannot read file" in run.stderr.decode()


MEASURE = """
import json, resource, sys
from pathlib import Path
from ingest.pipeline import ingest_paths
summary = ingest_paths([Path(sys.argv[1])], Path(sys.argv[2]), jobs=1)
print(json.dumps({"outcomes": [[o.status, o.reason] for o in summary.outcomes], "seconds": summary.seconds,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def test_a_100mb_text_file_is_rejected_quickly_in_bounded_memory(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    write_huge(folder / "huge.txt")
    run = subprocess.run([sys.executable, "-c", MEASURE, str(folder), str(tmp_path / "ix")], capture_output=True,
                         env=ENV, timeout=300, check=True)
    measured = json.loads(run.stdout)
    [(status, reason)] = measured["outcomes"]
    assert status == "rejected" and re.match(r"text too long \(3\d,\d{3},\d{3} characters, limit", reason), reason
    assert measured["max_rss_mb"] < MAX_RSS_MB, measured
    assert measured["seconds"] < 30, measured
