"""Readers turn .txt, .md, .html and .jsonl files into Documents with the right id, date, language and text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.sources import Document, SourceError, content_id, read_documents

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"

ENGLISH = (
    "Police in the Upper Huallaga valley arrested three men suspected of moving cocaine paste "
    "to clandestine airstrips, the interior ministry said on Friday."
)
SPANISH = (
    "La policía detuvo en el valle del Alto Huallaga a tres hombres sospechosos de trasladar "
    "pasta básica de cocaína a pistas clandestinas, informó el ministerio del Interior."
)


def read_all(*paths: Path) -> list[Document | SourceError]:
    return list(read_documents(paths))


def only_documents(items: list[Document | SourceError]) -> list[Document]:
    errors = [str(x) for x in items if isinstance(x, SourceError)]
    assert not errors, errors
    return [x for x in items if isinstance(x, Document)]


# --- plain text -------------------------------------------------------------------


def test_text_file_is_identified_by_its_content_hash_and_has_no_date(tmp_path: Path):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    [doc] = only_documents(read_all(tmp_path / "a.txt"))
    assert doc.id == content_id(ENGLISH)
    assert doc.text == ENGLISH
    assert doc.published is None  # unknown, never today's date
    assert (doc.title, doc.url, doc.publisher) == (None, None, None)
    assert doc.language == "en"
    assert doc.source == str(tmp_path / "a.txt")


def test_language_is_detected_when_metadata_does_not_say(tmp_path: Path):
    (tmp_path / "es.txt").write_text(SPANISH, encoding="utf-8")
    (tmp_path / "short.txt").write_text("Lima, 3 May", encoding="utf-8")
    es, short = only_documents(read_all(tmp_path))
    assert es.language == "es"
    assert short.language == "und"  # too little text to tell


def test_windows_line_endings_become_newlines(tmp_path: Path):
    (tmp_path / "crlf.txt").write_bytes(b"First paragraph.\r\n\r\nSecond paragraph.\rThird.")
    [doc] = only_documents(read_all(tmp_path / "crlf.txt"))
    assert doc.text == "First paragraph.\n\nSecond paragraph.\nThird."


# --- Markdown with front matter ------------------------------------------------------

ARTICLE_MD = """---
title: Police arrest three in the Upper Huallaga
url: https://example.org/news/2013/05/huallaga-arrests
published: 2013-05-03
publisher: Example News
tags: [peru, cocaine]
---
{body}"""


def test_markdown_front_matter_gives_metadata_and_offsets_count_from_the_body(tmp_path: Path):
    body = ENGLISH + "\n\n" + "Shining Path remnants operate nearby.\n"
    (tmp_path / "a.md").write_text(ARTICLE_MD.format(body=body), encoding="utf-8")
    [doc] = only_documents(read_all(tmp_path / "a.md"))
    assert doc.id == doc.url == "https://example.org/news/2013/05/huallaga-arrests"
    assert doc.title == "Police arrest three in the Upper Huallaga"
    assert doc.published == "2013-05-03"
    assert doc.publisher == "Example News"
    assert doc.language == "en"
    assert doc.text == body
    assert doc.text.index("Shining Path") == len(ENGLISH) + 2


def test_markdown_language_and_datetime_in_front_matter(tmp_path: Path):
    text = "---\nlanguage: es-PE\npublished: 2013-05-03T23:30:00-05:00\n---\n" + SPANISH
    (tmp_path / "b.md").write_text(text, encoding="utf-8")
    [doc] = only_documents(read_all(tmp_path / "b.md"))
    assert doc.language == "es"
    assert doc.published == "2013-05-03"  # the date as printed, not moved to UTC
    assert doc.id == content_id(SPANISH)  # no url: content hash of the body


def test_markdown_without_front_matter_is_all_body(tmp_path: Path):
    (tmp_path / "plain.md").write_text("# Heading\n\n" + ENGLISH, encoding="utf-8")
    [doc] = only_documents(read_all(tmp_path / "plain.md"))
    assert doc.text == "# Heading\n\n" + ENGLISH
    assert doc.title is None


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not written yet")
def test_every_corpus_article_reads_with_its_front_matter():
    docs = only_documents(read_all(CORPUS))
    assert len(docs) == len(list(CORPUS.glob("*.md")))
    for doc in docs:
        raw = Path(doc.source).read_text(encoding="utf-8")
        assert doc.text == raw.split("---\n", 2)[2], doc.source
        assert doc.id == doc.url and doc.url.startswith("https://")
        assert doc.published and doc.publisher and doc.title
        assert doc.language == "en", doc.source


# --- HTML --------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Judges bribed in cocaine cases, prosecutors say | Example News</title>
  <link rel="canonical" href="https://example.org/news/2013/07/judges-bribed">
  <meta property="og:url" content="https://example.org/amp/judges-bribed">
  <meta property="og:site_name" content="Example News">
  <meta property="article:published_time" content="2013-07-14T08:15:00Z">
  <style>p { color: red }</style>
  <script>window.dataLayer = [{"page": "article"}];</script>
  <script type="application/ld+json">{"@type": "NewsArticle", "headline": "JSON-LD headline"}</script>
</head>
<body>
  <header><a href="/">Example News</a> <a href="/world">World</a></header>
  <nav><ul><li>Home</li><li>Americas</li></ul></nav>
  <article>
    <h1>Judges bribed in cocaine cases</h1>
    <p>Prosecutors in Lima said on Sunday that two judges had taken
       bribes from a <b>trafficking</b> network<a href="#fn1">1</a>.</p>
    <script>document.write("<p>injected by script</p>")</script>
    <p onclick="steal()">The network allegedly paid <em>$50,000</em> per acquittal.<br>Both judges deny it.</p>
    <div hidden>Subscribe to our newsletter</div>
    <aside>Related: weather in Cusco</aside>
    <noscript>Please enable JavaScript</noscript>
  </article>
  <footer>© Example News 2013</footer>
</body>
</html>
"""


def test_html_keeps_paragraphs_and_drops_scripts_styles_and_navigation(tmp_path: Path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    [doc] = only_documents(read_all(tmp_path / "page.html"))
    assert doc.text == (
        "Judges bribed in cocaine cases\n\n"
        "Prosecutors in Lima said on Sunday that two judges had taken bribes from a trafficking network1.\n\n"
        "The network allegedly paid $50,000 per acquittal.\nBoth judges deny it."
    )
    assert doc.title == "Judges bribed in cocaine cases, prosecutors say | Example News"
    assert doc.id == doc.url == "https://example.org/news/2013/07/judges-bribed"  # canonical before og:url
    assert doc.published == "2013-07-14"
    assert doc.publisher == "Example News"
    assert doc.language == "en"


def test_html_metadata_fallbacks_and_latin1_read_as_browsers_do(tmp_path: Path):
    # Browsers read a page labelled ISO-8859-1 as Windows-1252, so 0x93/0x94 are curly quotes.
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        '<meta property="og:title" content="Desalojo en Ucayali">'
        '<meta property="og:url" content="https://example.pe/desalojo">'
        '<meta name="date" content="not a date"><meta name="dc.date.issued" content="2013-02-01">'
        "</head><body><header>Portada</header><div><p>" + SPANISH + " “Nos amenazaron”, dijo.</p></div></body></html>"
    )
    (tmp_path / "p.htm").write_bytes(page.encode("cp1252"))
    [doc] = only_documents(read_all(tmp_path / "p.htm"))
    assert doc.text == SPANISH + " “Nos amenazaron”, dijo."  # the page header is not article text
    assert doc.title == "Desalojo en Ucayali"
    assert doc.url == "https://example.pe/desalojo"
    assert doc.published == "2013-02-01"  # the malformed "date" tag is passed over
    assert doc.publisher is None
    assert doc.language == "es"


def test_html_declared_charset_is_honoured(tmp_path: Path):
    russian = "Полиция Перу задержала трёх подозреваемых в торговле кокаином в долине Верхняя Уальяга."
    page = f'<html><head><meta charset="koi8-r"></head><body><p>{russian}</p></body></html>'
    (tmp_path / "ru.html").write_bytes(page.encode("koi8-r"))
    [doc] = only_documents(read_all(tmp_path / "ru.html"))
    assert doc.text == russian
    assert doc.language == "ru"


def test_html_div_soup_with_deep_nesting_reads_without_recursion_limits(tmp_path: Path):
    page = "<html><body>" + "<div>" * 5000 + "<p>" + ENGLISH + "</p>" + "</div>" * 5000 + "</body></html>"
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    [doc] = only_documents(read_all(tmp_path / "deep.html"))
    assert doc.text == ENGLISH


# --- JSON Lines ----------------------------------------------------------------------


def test_jsonl_records_become_documents(tmp_path: Path):
    records = [
        {"id": "wire-0001", "url": "https://example.org/a", "title": "A", "published": "2013-05-03T10:00:00Z",
         "publisher": "Wire", "language": "en", "text": ENGLISH, "section": "world"},
        {"url": "https://example.org/b", "text": SPANISH},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode() + b"\n")
    first, second = only_documents(read_all(path))
    assert first == Document(
        id="wire-0001", text=ENGLISH, title="A", url="https://example.org/a", published="2013-05-03",
        publisher="Wire", language="en", source=f"{path}:1",
    )
    assert second.id == "https://example.org/b"  # no id: the url
    assert second.language == "es"
    assert second.source == f"{path}:3"  # blank line 2 skipped, numbering kept


# --- folders -------------------------------------------------------------------------


def test_folders_are_read_recursively_in_sorted_order_skipping_hidden_names(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(ENGLISH + " Z.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(ENGLISH + " A.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "junk.txt").write_text("not an article", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    docs = only_documents(read_all(tmp_path))
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in docs] == ["a.txt", "b/z.txt"]


def test_the_stream_is_lazy(tmp_path: Path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"{ENGLISH} Number {i}.", encoding="utf-8")
    stream = read_documents([tmp_path])
    first = next(stream)
    assert isinstance(first, Document) and first.text.endswith("Number 0.")


def test_a_single_path_may_be_given_without_a_list(tmp_path: Path):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    assert [d.text for d in only_documents(list(read_documents(str(tmp_path))))] == [ENGLISH]
    assert [d.text for d in only_documents(list(read_documents(tmp_path / "a.txt")))] == [ENGLISH]


def test_markdown_written_on_windows_reads_like_any_other(tmp_path: Path):
    text = "---\r\ntitle: T\r\nurl: https://example.org/crlf\r\n---\r\n" + ENGLISH + "\r\n"
    (tmp_path / "crlf.md").write_bytes(text.encode("utf-8"))
    [doc] = only_documents(read_all(tmp_path / "crlf.md"))
    assert (doc.id, doc.title, doc.text) == ("https://example.org/crlf", "T", ENGLISH + "\n")
