"""Make the text layer of WeasyPrint's PDFs read as the Thai that was written.

HarfBuzz shapes SARA AM (ำ) as two glyphs, NIKHAHIT then SARA AA, and moves NIKHAHIT before any
tone mark (น้ำ is drawn น ํ้ า). WeasyPrint gives a glyph the text of its whole cluster the first
time it meets it and the rest of the cluster nothing (WeasyPrint issue #2841), and a font's
ToUnicode map holds one text per glyph for the whole document: so ำ reads as า, or า everywhere
reads as ำ, and tone marks vanish. Search, copy and paste and screen readers get wrong words.

:func:`repair_thai_text` rewrites the finished PDF with pikepdf:

* every glyph of an embedded font is mapped to its own characters, read from the glyph names of
  the font file it was cut from (Sarabun's glyph names follow the Adobe Glyph List:
  ``uni0E4D0E49`` is NIKHAHIT + MAI THO, ``uni0E49.small`` is MAI THO);
* each drawn NIKHAHIT … SARA AA sequence is wrapped in a marked-content span whose ActualText is
  the text as written (tone mark, then ำ), which PDF readers and pdftotext use instead of the
  glyphs' own characters.

Nothing visible changes: the glyphs, their positions and the fonts stay as WeasyPrint drew them.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
from fontTools import agl
from fontTools.ttLib import TTFont

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
NIKHAHIT, SARA_AA, SARA_AM = "\u0e4d", "\u0e32", "\u0e33"
TONE_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
TEXT_SHOWING = {"TJ", "Tj"}


@cache
def _shipped_fonts() -> dict[str, dict[int, str]]:
    """Each shipped font's PostScript name → its glyphs' own text, by glyph id."""
    fonts = {}
    for path in sorted(FONTS_DIR.rglob("*.ttf")):
        font = TTFont(path, lazy=True)
        texts = {gid: agl.toUnicode(name) for gid, name in enumerate(font.getGlyphOrder())}
        for gid, name in font.getBestCmap().items():
            texts[font.getGlyphID(name)] = chr(gid) if gid != 0xFFFF else ""
        fonts[font["name"].getDebugName(6)] = {gid: text for gid, text in texts.items() if text}
    return fonts


def _glyph_texts(font: pikepdf.Dictionary) -> dict[int, str] | None:
    """The glyph texts of an embedded subset of a shipped font (its glyph ids kept), or None."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    descriptor = font.DescendantFonts[0].get("/FontDescriptor")
    if descriptor is None or "/FontFile2" not in descriptor:
        return None
    embedded = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()), lazy=True)
    return _shipped_fonts().get(embedded["name"].getDebugName(6))


def _to_unicode_cmap(texts: dict[int, str]) -> bytes:
    """A ToUnicode CMap mapping each glyph id to its text (UTF-16BE, 100 entries a block)."""
    items = sorted(texts.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <ffff>",
        "endcodespacerange",
    ]
    for start in range(0, len(items), 100):
        block = items[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>" for gid, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


@dataclass(frozen=True)
class _Glyph:
    """One drawn glyph: which operator drew it, where in that operator, and its own text."""

    op: int
    item: int
    byte: int
    text: str


def _glyphs(ops: list, fonts: dict[str, dict[int, str]]) -> Iterator[_Glyph | None]:
    """The glyphs drawn in the fonts we know, in drawing order; None where a run is broken (the
    font changes, a text object or marked-content sequence starts or ends)."""
    texts = None
    for index, instruction in enumerate(ops):
        operands, name = instruction.operands, str(instruction.operator)
        if name == "Tf":
            texts = fonts.get(str(operands[0]))
            yield None
        elif name in TEXT_SHOWING and texts is not None:
            items = operands[0] if name == "TJ" else [operands[0]]
            for item_index, item in enumerate(items):
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    for byte in range(0, len(data) - 1, 2):
                        gid = int.from_bytes(data[byte : byte + 2], "big")
                        yield _Glyph(index, item_index, byte, texts.get(gid, ""))
        elif name in {"BT", "ET", "BDC", "BMC", "EMC"}:
            yield None


def _am_spans(glyphs: list[_Glyph | None]) -> list[tuple[_Glyph, _Glyph, str]]:
    """Each NIKHAHIT (alone or joined with a tone mark), tone marks, SARA AA run: first glyph,
    last glyph, and the text as written (the tone marks, then SARA AM)."""
    spans = []
    for start, glyph in enumerate(glyphs):
        if glyph is None or not glyph.text.startswith(NIKHAHIT):
            continue
        marks = glyph.text[1:]
        for follower in glyphs[start + 1 : start + 4]:
            if follower is None:
                break
            if follower.text == SARA_AA:
                if all(mark in TONE_MARKS for mark in marks):
                    spans.append((glyph, follower, marks + SARA_AM))
                break
            if not follower.text or any(mark not in TONE_MARKS for mark in follower.text):
                break
            marks += follower.text
    return spans


def _span_start(text: str) -> pikepdf.ContentStreamInstruction:
    actual = pikepdf.Dictionary(ActualText=pikepdf.String(text))
    return pikepdf.ContentStreamInstruction([pikepdf.Name.Span, actual], pikepdf.Operator("BDC"))


SPAN_END = pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))


def _show(items: list) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([pikepdf.Array(items)], pikepdf.Operator("TJ"))


def _mark_am_spans(ops: list, fonts: dict[str, dict[int, str]]) -> list | None:
    """The content stream's operators with every SARA AM run wrapped in an ActualText span, or
    None when there is none. A text-showing operator with a span inside is split where the span
    starts and ends; each piece continues where the previous one stopped, so nothing moves."""
    spans = _am_spans(list(_glyphs(ops, fonts)))
    if not spans:
        return None
    starts = {(first.op, first.item, first.byte): text for first, _last, text in spans}
    ends = {(last.op, last.item, last.byte) for _first, last, _text in spans}
    touched = {key[0] for key in starts} | {key[0] for key in ends}
    out = []
    for index, instruction in enumerate(ops):
        if index not in touched:
            out.append(instruction)
            continue
        operands, operator = instruction.operands, instruction.operator
        items = list(operands[0]) if str(operator) == "TJ" else [operands[0]]
        current: list = []
        for item_index, item in enumerate(items):
            if not isinstance(item, pikepdf.String):
                current.append(item)
                continue
            data = bytes(item)
            for byte in range(0, len(data) - 1, 2):
                key = (index, item_index, byte)
                if key in starts:
                    if current:
                        out.append(_show(current))
                    out.append(_span_start(starts[key]))
                    current = []
                if current and isinstance(current[-1], pikepdf.String):
                    current[-1] = pikepdf.String(bytes(current[-1]) + data[byte : byte + 2])
                else:
                    current.append(pikepdf.String(data[byte : byte + 2]))
                if key in ends:
                    out += [_show(current), SPAN_END]
                    current = []
        if current:
            out.append(_show(current))
    return out


def repair_thai_text(pdf_bytes: bytes) -> bytes:
    """The PDF with a text layer that reads as written (see the module docstring)."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        remapped: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _repair_content(pdf, page, page.obj.get("/Resources"), remapped)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _repair_content(pdf: pikepdf.Pdf, owner, resources, remapped: set) -> None:
    """Repair one content stream (a page or a form XObject) and the forms it draws."""
    if resources is None:
        return
    fonts = {}
    for name, font in resources.get("/Font", {}).items():
        texts = _glyph_texts(font)
        if texts is None:
            continue
        fonts[name] = texts
        if font.objgen not in remapped:
            remapped.add(font.objgen)
            _remap(pdf, font, texts)
    if fonts:
        ops = _mark_am_spans(list(pikepdf.parse_content_stream(owner)), fonts)
        if ops is not None:
            content = pikepdf.unparse_content_stream(ops)
            if isinstance(owner, pikepdf.Page):
                owner.obj.Contents = pdf.make_stream(content)
            else:
                owner.write(content)
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in remapped:
            remapped.add(xobject.objgen)
            _repair_content(pdf, xobject, xobject.get("/Resources"), remapped)


def _remap(pdf: pikepdf.Pdf, font: pikepdf.Dictionary, texts: dict[int, str]) -> None:
    """Give the font a ToUnicode map of its drawn glyphs' own texts (kept where unknown)."""
    used = _cmap_entries(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else {}
    merged = {gid: texts.get(gid, text) for gid, text in used.items()}
    font.ToUnicode = pdf.make_stream(_to_unicode_cmap(merged))


def _cmap_entries(cmap: bytes) -> dict[int, str]:
    """The bfchar entries of a ToUnicode CMap as WeasyPrint writes it."""
    entries = {}
    for line in cmap.decode("latin-1").splitlines():
        parts = line.strip().split()
        if len(parts) == 2 and all(p.startswith("<") and p.endswith(">") for p in parts):
            gid, text = parts[0][1:-1], parts[1][1:-1]
            entries[int(gid, 16)] = bytes.fromhex(text).decode("utf-16-be")
    return entries
