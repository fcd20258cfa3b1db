"""Bad input is reported with its file (and line) and skipped; the good documents still come through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.sources import Document, SourceError, read_documents

GOOD = "Police in Ucayali arrested two men accused of bribing officers to protect cocaine shipments."
LATIN = "La policía detuvo en Ucayali a dos hombres acusados de sobornar a agentes para proteger envíos de cocaína."


def messages(items: list[Document | SourceError]) -> list[str]:
    return [str(x) for x in items if isinstance(x, SourceError)]


def texts(items: list[Document | SourceError]) -> list[str]:
    return [x.text for x in items if isinstance(x, Document)]


def read_one(path: Path, **limits: int) -> list[Document | SourceError]:
    return list(read_documents([path], **limits))


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    """A good article beside the bad one, read in the same batch (its name sorts last)."""
    path = tmp_path / "zz-good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def batch(tmp_path: Path) -> list[Document | SourceError]:
    return list(read_documents([tmp_path]))


# --- empty and binary files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\t\n", "empty file"),
        ("bom-only.txt", b"\xff\xfe", "empty file"),
        ("only-front-matter.md", b"---\ntitle: T\n---\n\n", "no text after the front matter"),
        ("empty.jsonl", b"", "empty file"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a PNG image)"),
        ("report.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document)"),
        ("word.md", b"PK\x03\x04\x14\x00\x06\x00", "binary file (a ZIP archive, e.g. .docx, .xlsx, .odt or .epub)"),
        ("blob.txt", bytes(range(256)) * 4, "binary file (contains NUL bytes)"),
        ("blob.jsonl", b'{"id": "x"}\x00\x01\x02', "binary file (contains NUL bytes)"),
        ("controls.txt", bytes(range(1, 32)) * 10 + b"abc", "binary file (260 control characters in 313)"),
    ],
)
def test_empty_and_binary_files_are_skipped_with_a_reason(tmp_path: Path, good: Path, name: str, content: bytes, reason: str):
    (tmp_path / name).write_bytes(content)
    items = batch(tmp_path)
    assert messages(items) == [f"{tmp_path / name}: {reason}"]
    assert texts(items) == [GOOD]


# --- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("latin1.txt", LATIN.encode("latin-1")),
        ("cp1252.txt", ("“" + LATIN + "” — 5 €").encode("cp1252")),
        ("utf8-bom.txt", b"\xef\xbb\xbf" + LATIN.encode("utf-8")),
        ("utf16-le.txt", LATIN.encode("utf-16-le").join([b"\xff\xfe", b""])),
        ("utf16-be.md", b"\xfe\xff" + LATIN.encode("utf-16-be")),
        ("utf32.txt", LATIN.encode("utf-32")),
    ],
)
def test_legacy_and_bom_encodings_are_decoded(tmp_path: Path, name: str, encoded: bytes):
    (tmp_path / name).write_bytes(encoded)
    [doc] = read_one(tmp_path / name)
    assert isinstance(doc, Document), str(doc)
    assert LATIN in doc.text
    assert "\ufeff" not in doc.text
    assert doc.language == "es"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "undefined-bytes.txt",
            b"Caf\xe9 owners in Pucallpa paid \x81 protection money.",
            "not valid UTF-8 (byte 0xe9 at offset 3) nor Windows-1252/Latin-1 "
            "(byte 0x81 at offset 29 is undefined); convert it to UTF-8",
        ),
        (
            "koi8r.txt",
            "Полиция Перу задержала трёх подозреваемых в торговле кокаином.".encode("koi8-r"),
            "not valid UTF-8 (byte 0xf0 at offset 0), and read as Windows-1252 100% of its letters "
            "would be accented, which suggests another legacy encoding (Cyrillic, Greek, Asian…); "
            "convert it to UTF-8",
        ),
        (
            "no-bom-utf16.txt",
            GOOD.encode("utf-16-le"),
            "looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)",
        ),
        (
            "broken-utf16.txt",
            b"\xff\xfe" + "Police".encode("utf-16-le") + b"\x00\xd8",  # a lone high surrogate
            "starts with a UTF-16 byte-order mark but is not valid UTF-16 (bad bytes at offset 14)",
        ),
        (
            "utf16.jsonl",
            json.dumps({"id": "a", "text": GOOD}).encode("utf-16"),
            "JSON Lines must be UTF-8, this file is UTF-16 (byte-order mark); convert it to UTF-8",
        ),
    ],
)
def test_undecodable_text_is_rejected_with_the_reason(tmp_path: Path, good: Path, name: str, content: bytes, reason: str):
    (tmp_path / name).write_bytes(content)
    items = batch(tmp_path)
    assert messages(items) == [f"{tmp_path / name}: {reason}"]
    assert texts(items) == [GOOD]


# --- HTML with scripts -------------------------------------------------------------------


def test_html_script_content_never_reaches_the_text(tmp_path: Path, good: Path):
    page = (
        "<html><head><script>var secret = 'head script';</script></head><body>"
        "<p>Cartels paid the mayor of Tocache.<script>alert('inline')</script></p>"
        "<script type='module'>import x from './x.js'</script>"
        "<p onmouseover=\"alert('handler')\">He denied it.</p>"
        "<noscript>enable scripts</noscript><template><p>template text</p></template>"
        "</body></html>"
    )
    (tmp_path / "scripts.html").write_text(page, encoding="utf-8")
    (tmp_path / "only-scripts.html").write_text(
        "<html><head><style>body{}</style></head><body><script>render()</script><nav>Menu</nav></body></html>",
        encoding="utf-8",
    )
    items = batch(tmp_path)
    assert messages(items) == [
        f"{tmp_path / 'only-scripts.html'}: no text left after removing markup, scripts and navigation"
    ]
    assert texts(items) == ["Cartels paid the mayor of Tocache.\n\nHe denied it.", GOOD]


# --- size limit ------------------------------------------------------------------------


def test_a_5_mb_article_is_rejected_with_the_limit(tmp_path: Path, good: Path):
    sentence = "The cartel paid police officers in Ucayali to look away. "
    text = sentence * (5 * 1024 * 1024 // len(sentence))
    (tmp_path / "huge.txt").write_text(text, encoding="utf-8")
    assert 5_200_000 < len(text) <= 5 * 1024 * 1024
    items = batch(tmp_path)
    assert messages(items) == [
        f"{tmp_path / 'huge.txt'}: text is {len(text):,} characters, more than the limit of 1,000,000 "
        "for one document; split it into separate articles"
    ]
    assert texts(items) == [GOOD]


def test_a_5_mb_jsonl_record_is_rejected_with_its_line(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "small-1", "text": GOOD}),
        json.dumps({"id": "huge", "text": "x" * (5 * 1024 * 1024)}),
        json.dumps({"id": "small-2", "text": GOOD + " Again."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_one(path)
    assert messages(items) == [
        f"{path}:2: text is 5,242,880 characters, more than the limit of 1,000,000 "
        "for one document; split it into separate articles"
    ]
    assert texts(items) == [GOOD, GOOD + " Again."]


def test_files_over_the_byte_limit_are_not_read(tmp_path: Path):
    (tmp_path / "big.html").write_text("<p>" + "a" * 2000 + "</p>", encoding="utf-8")
    items = read_one(tmp_path / "big.html", max_file_bytes=1000)
    assert messages(items) == [f"{tmp_path / 'big.html'}: file is 2,007 bytes, more than the limit of 1,000 for one article"]


def test_the_text_limit_is_configurable(tmp_path: Path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert messages(read_one(tmp_path / "a.txt", max_chars=50)) == [
        f"{tmp_path / 'a.txt'}: text is {len(GOOD)} characters, more than the limit of 50 "
        "for one document; split it into separate articles"
    ]


# --- JSON Lines ------------------------------------------------------------------------


def test_each_bad_jsonl_line_is_reported_with_its_line_and_the_rest_goes_on(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "ok-1", "text": GOOD}).encode(),  # 1
        b'{"id": "broken", "text": "unterminated',  # 2
        b"[1, 2, 3]",  # 3
        b'"just a string"',  # 4
        json.dumps({"id": "no-text", "title": "Only a title"}).encode(),  # 5
        json.dumps({"title": "No id", "text": GOOD}).encode(),  # 6
        json.dumps({"id": "numeric-text", "text": 42}).encode(),  # 7
        json.dumps({"id": "blank-text", "text": "   "}).encode(),  # 8
        json.dumps({"id": 17, "text": GOOD}).encode(),  # 9
        json.dumps({"url": "www.example.org/a", "text": GOOD}).encode(),  # 10
        json.dumps({"id": "bad-date", "published": "May 2013", "text": GOOD}).encode(),  # 11
        json.dumps({"id": "bad-language", "language": "Spanish", "text": GOOD}).encode(),  # 12
        b'{"id": "latin1", "text": "Caf\xe9"}',  # 13
        b"",  # 14: blank lines are not errors
        json.dumps({"id": "ok-1", "text": "same id again"}).encode(),  # 15
        json.dumps({"url": "https://example.org/ok-2", "text": GOOD + " Second."}).encode(),  # 16
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = read_one(path)
    assert messages(items) == [
        f"{path}:2: not valid JSON: Unterminated string starting at (column 26)",
        f"{path}:3: expected a JSON object, got an array",
        f"{path}:4: expected a JSON object, got a string",
        f'{path}:5: missing "text"',
        f'{path}:6: no identifier: give "id" or "url"',
        f'{path}:7: "text" must be a string, got a number',
        f'{path}:8: "text" is empty',
        f'{path}:9: "id" must be a non-empty string, got a number 17',
        f"{path}:10: url: 'www.example.org/a' is not an absolute http(s) URL",
        f"{path}:11: published: 'May 2013' is not a date (expected YYYY-MM-DD or an ISO 8601 date-time)",
        f"{path}:12: language: 'Spanish' is not a language tag (expected e.g. 'en' or 'es')",
        f"{path}:13: not valid UTF-8 (byte 0xe9 at byte 30); JSON Lines must be UTF-8",
        f"{path}:15: duplicate id 'ok-1', already read from {path}:1",
    ]
    assert texts(items) == [GOOD, GOOD + " Second."]


# --- Markdown front matter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("---\ntitle: Never closed\n" + GOOD, "front matter opened on line 1 is never closed by a '---' line"),
        (
            "---\ntitle: A\nurl: [unclosed\n---\n" + GOOD,
            "front matter is not valid YAML on line 4: expected ',' or ']', but got '<stream end>'",
        ),
        ("---\n- a list\n---\n" + GOOD, "front matter must be a mapping of fields, got list"),
        ("---\npublished: 3 May 2013\n---\n" + GOOD,
         "published: '3 May 2013' is not a date (expected YYYY-MM-DD or an ISO 8601 date-time)"),
        ("---\npublished: 2013-02-30\n---\n" + GOOD,
         "published: '2013-02-30' is not a date (expected YYYY-MM-DD or an ISO 8601 date-time)"),
        ("---\nurl: ftp://example.org/a\n---\n" + GOOD, "url: 'ftp://example.org/a' is not an absolute http(s) URL"),
        ("---\ntitle: [a, b]\n---\n" + GOOD, "title: expected a string, got list ['a', 'b']"),
    ],
)
def test_bad_front_matter_is_reported(tmp_path: Path, good: Path, content: str, reason: str):
    (tmp_path / "article.md").write_text(content, encoding="utf-8")
    items = batch(tmp_path)
    assert messages(items) == [f"{tmp_path / 'article.md'}: {reason}"]
    assert texts(items) == [GOOD]


# --- paths -------------------------------------------------------------------------------


def test_unsupported_missing_and_empty_paths_are_reported(tmp_path: Path, good: Path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "README").write_text("notes", encoding="utf-8")
    (tmp_path / "empty-folder").mkdir()
    items = list(read_documents([tmp_path, tmp_path / "missing.txt", tmp_path / "empty-folder"]))
    readable = ".htm, .html, .jsonl, .markdown, .md, .ndjson, .txt"
    assert messages(items) == [
        f"{tmp_path / 'README'}: unsupported file type (no suffix) (readable: {readable})",
        f"{tmp_path / 'scan.pdf'}: unsupported file type '.pdf' (readable: {readable})",
        f"{tmp_path / 'missing.txt'}: no such file or folder",
        f"{tmp_path / 'empty-folder'}: no files in this folder (readable: {readable})",
    ]
    assert texts(items) == [GOOD]


def test_the_same_article_given_twice_is_read_once(tmp_path: Path, good: Path):
    items = list(read_documents([good, good]))
    assert texts(items) == [GOOD]
    [doc] = [x for x in items if isinstance(x, Document)]
    assert messages(items) == [f"{good}: duplicate id {doc.id!r}, already read from {good}"]


def test_a_mixed_batch_keeps_every_good_document(tmp_path: Path):
    """Everything bad at once, in one folder: each is reported once and all good documents arrive in order."""
    (tmp_path / "01-good.md").write_text("---\nurl: https://example.org/1\n---\n" + GOOD, encoding="utf-8")
    (tmp_path / "02-empty.txt").write_bytes(b"")
    (tmp_path / "03-binary.txt").write_bytes(b"\x7fELF\x02\x01\x01")
    (tmp_path / "04-latin1.txt").write_bytes(LATIN.encode("latin-1"))
    (tmp_path / "05-utf16.txt").write_bytes(GOOD.replace("two", "three").encode("utf-16"))
    (tmp_path / "06-scripts.html").write_text("<script>x()</script><p>Judges were bribed.</p>", encoding="utf-8")
    (tmp_path / "07-huge.txt").write_text("word " * 300_000, encoding="utf-8")
    (tmp_path / "08-lines.jsonl").write_text('{"id": "j1", "text": "Mayors colluded."}\n{"id": "j2"}\n', encoding="utf-8")
    items = batch(tmp_path)
    assert messages(items) == [
        f"{tmp_path / '02-empty.txt'}: empty file",
        f"{tmp_path / '03-binary.txt'}: binary file (an executable)",
        f"{tmp_path / '07-huge.txt'}: text is 1,500,000 characters, more than the limit of 1,000,000 "
        "for one document; split it into separate articles",
        f'{tmp_path / "08-lines.jsonl"}:2: missing "text"',
    ]
    assert texts(items) == [GOOD, LATIN, GOOD.replace("two", "three"), "Judges were bribed.", "Mayors colluded."]
