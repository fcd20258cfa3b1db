"""Bytes of a text file → str, or a clear reason why they are not text.

The rules, in order, are deterministic so that the same file always gives the
same text (and the same offsets):

1. a byte-order mark → UTF-8, UTF-16 or UTF-32 as it says;
2. a known binary signature (PDF, ZIP/Office, gzip, images, executables) → binary;
3. NUL bytes → binary (or UTF-16 that lacks its BOM: said so);
4. an encoding the file declares (HTML ``<meta charset>``), when Python knows it;
5. UTF-8;
6. Windows-1252, which also decodes every printable Latin-1 (ISO 8859-1) text.
   Its five undefined bytes, or a result that is mostly accented letters (the
   mark of another legacy encoding such as KOI8-R or Windows-1251 read as
   Western), reject the file instead of producing mojibake.

Anything that decodes but is full of control characters is binary too.
"""

from __future__ import annotations

import codecs
import re

from kg.sources.errors import BadInput

# Signatures of common non-text files, so the message can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, e.g. .docx, .xlsx, .odt or .epub"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
)

# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Labels that browsers (WHATWG Encoding Standard) read as another encoding.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "utf-16": "utf-8",  # a <meta> cannot declare UTF-16: the bytes would not be ASCII
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}

# Control characters (Unicode category Cc) other than tab, LF, VT, FF and CR.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# More control characters than this share of the text means "not text".
_MAX_CONTROL_SHARE = 0.01
# Western-European prose has well under this share of non-ASCII letters.
_MAX_NON_ASCII_LETTER_SHARE = 0.3
_MIN_LETTERS_FOR_SHARE = 20


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode the bytes of a text file; raise :class:`BadInput` with the reason if they are not text.

    ``declared`` is an encoding label the file itself states (HTML meta charset);
    it is tried after a BOM and before UTF-8.
    """
    if not data.strip():
        raise BadInput("empty file")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_with_bom(data, len(bom), codec, name))
    check_not_binary(data)
    codec = _codec_for_label(declared) if declared else None
    if codec is not None:
        try:
            return _checked(data.decode(codec))
        except UnicodeDecodeError:
            pass  # the declaration is wrong; sniff as if there were none
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise BadInput(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
            f"nor Windows-1252/Latin-1 (byte 0x{data[error.start]:02x} at offset {error.start} is undefined); "
            "convert it to UTF-8"
        ) from None
    share = _non_ascii_letter_share(text)
    if share > _MAX_NON_ASCII_LETTER_SHARE:
        raise BadInput(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}), and read as "
            f"Windows-1252 {share:.0%} of its letters would be accented, which suggests another legacy "
            "encoding (Cyrillic, Greek, Asian…); convert it to UTF-8"
        )
    return _checked(text)


def check_not_binary(head: bytes) -> None:
    """Raise :class:`BadInput` if the first bytes of a file show it is not text (for streamed files)."""
    for signature, what in _MAGIC:
        if head.startswith(signature):
            raise BadInput(f"binary file ({what})")
    _check_no_nul(head)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` announces (``"UTF-16"``…), else None."""
    for bom, _, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def _check_no_nul(data: bytes) -> None:
    """NUL bytes never occur in UTF-8 or single-byte text."""
    if b"\x00" in data:
        if _looks_like_bomless_utf16(data):
            raise BadInput("looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)")
        raise BadInput("binary file (contains NUL bytes)")


def _decode_with_bom(data: bytes, bom_length: int, codec: str, name: str) -> str:
    try:
        return data[bom_length:].decode(codec)
    except UnicodeDecodeError as error:
        raise BadInput(
            f"starts with a {name} byte-order mark but is not valid {name} "
            f"(bad bytes at offset {bom_length + error.start})"
        ) from None


def _checked(text: str) -> str:
    """Reject decoded text that is empty or mostly control characters."""
    if not text.strip():
        raise BadInput("empty file")
    controls = len(_CONTROL.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise BadInput(f"binary file ({controls} control characters in {len(text)})")
    return text


def _codec_for_label(label: str) -> str | None:
    name = label.strip().lower()
    name = _LABEL_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """ASCII-range text in UTF-16 has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) >= 0.9 * len(even) or odd.count(0) >= 0.9 * len(odd)


def _non_ascii_letter_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < _MIN_LETTERS_FOR_SHARE:
        return 0.0
    return sum(1 for c in letters if ord(c) > 127) / len(letters)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so offsets do not depend on the platform that wrote the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
