"""The portal reproduces the five seed documents from the demo data (../shared/seeds/).

Each PDF's text is extracted with pdftotext; ita_portal.pdf_text repairs the text layer that
WeasyPrint garbles for ำ (Kozea/WeasyPrint #2841), and tests/portal/test_pdf_text.py checks that
every seed memo's PDF reads exactly as its laid-out text.
"""

import re
import subprocess

import pytest

from ita_portal.pdf import render_memo_pdf
from measures.models import Memo

SEEDS = {
    "000": ("dusit", Memo.Kind.RESULTS),
    "001": ("dusit", Memo.Kind.ANALYSIS),
    "002": ("council-secretariat", Memo.Kind.MEASURES_PLAN),
    "003": ("pathum-wan", Memo.Kind.QUESTION_ANALYSIS),
    "004": ("bangkok-noi", Memo.Kind.MEASURES_PLAN),
}


def _memo(seed: str) -> Memo:
    unit, kind = SEEDS[seed]
    return Memo.objects.get(unit__code=unit, kind=kind)


@pytest.fixture(scope="module")
def pdf_text(django_db_setup, django_db_blocker, tmp_path_factory):
    """Each seed memo rendered once: seed → (text of every page, page count)."""
    out = {}
    with django_db_blocker.unblock():
        for seed in SEEDS:
            path = tmp_path_factory.mktemp("seeds") / f"{seed}.pdf"
            path.write_bytes(render_memo_pdf(_memo(seed)))
            text = subprocess.run(
                ["pdftotext", "-layout", str(path), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            out[seed] = (text, text.count("\f"))
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _in_order(text: str, figures: list[str]) -> bool:
    positions = [text.find(figure) for figure in figures]
    return -1 not in positions and positions == sorted(positions)


def test_seed_000_results_memo(db, pdf_text):
    text, pages = pdf_text["000"]
    flat = _flat(text)

    assert "บันทึกข้อความ" in text.splitlines()[0]
    assert "กท ๕๖๐๑/" in text
    assert "มิถุนายน ๒๕๖๕" in text
    assert "๙๐.๔๐" in text
    assert "๓ ตัวชี้วัด ๔ จุด" in flat  # 3 indicators, 4 weak points
    # codes as the memo's own text types them ("ข้อ O43"), though its numbers are Thai
    assert "I7" in text and "I20" in text and "O1" in text and "O29" in text
    assert "(นายธานินทร์ เนียมหอม)" in text
    assert "webportal.bangkok.go.th/" in flat
    assert pages >= 5


def test_seed_001_analysis_memo(db, pdf_text):
    text, pages = pdf_text["001"]
    flat = _flat(text)

    assert "ธันวาคม ๒๕๖๔" in text
    for figure in ["๙๐.๔๐", "๖๑.๔๙", "๕๕.๖๙", "๑๙.๒๘", "๒๗.๒๐", "๘๓.๓๓", "๘๐.๐๐", "๘๑.๙๖"]:
        assert figure in text, figure
    assert "๒, ๔ และ ๙ สรุปได้ดังนี้" in flat
    indicator_scores = ["๙๒.๓๕", "๘๘.๐๕", "๘๖.๖๗", "๘๕.๘๗", "๘๘.๐๗", "๘๔.๔๙", "๙๓.๗๘", "๑๐๐.๐๐"]
    assert _in_order(flat, indicator_scores)
    assert "(IIT)" in text and "(EIT)" in text and "(OIT)" in text
    assert "(นายพงษ์ศักดิ์" in text
    assert pages >= 5


def test_seed_002_measures_of_the_council_secretariat(db, pdf_text):
    text, pages = pdf_text["002"]
    flat = _flat(text)

    assert "๘๘.๙๘" in flat
    assert "“ผ่าน”" in flat
    assert "ลดลง" in flat and "๑.๐๓ คะแนน" in flat
    assert "มี ๖ ตัวชี้" in flat
    below = ["(๘๒.๘๘", "(๘๑.๒๒", "(๗๘.๓๗", "(๗๘.๓๑", "(๗๗.๙๕", "(๗๗.๘๓"]
    sentence = flat[flat.index("มี ๖ ตัวชี้") :]
    assert _in_order(sentence, below)
    for figure in ["๙๒.๒๗", "๘๕.๘๕", "๑๐๐.๐๐"]:
        assert figure in flat
    assert "๑. ความเป็นมา" in flat
    assert "๔. วิเคราะห์ข้อ" in flat
    assert "Integrity and Transparency Assessment" in flat
    assert pages >= 5


def test_seed_003_question_analysis_of_pathumwan(db, pdf_text):
    text, pages = pdf_text["003"]
    flat = _flat(text)

    scores = ["(๗๓.๓๔", "(๘๔.๔๐", "(๗๙.๙๙", "(๗๙.๘๓", "(๗๘.๕๖", "(๗๔.๓๖", "(๗๖.๘๘", "(๗๒.๓๙"]
    scores += ["(๗๔.๕๗", "(๗๔.๑๓", "(๘๔.๒๗", "(๗๐.๘๓", "(๗๔.๙๗", "(๘๔.๒๑"]
    for score in scores:
        assert score in flat, score
    assert "I๘" in text and "I๑๗" in text and "E๑๕" in text
    assert text.count("ทุก ๖") == 10  # one per measure: E2/E3 and E12 share a merged cell
    assert pages >= 4


def test_seed_004_measures_plan_of_bangkok_noi(db, pdf_text):
    text, pages = pdf_text["004"]
    flat = _flat(text)

    assert "2566" in text and "๒๕๖๖" not in text
    assert flat.count("30 มี.ค. 66") == 11  # as in the seed (one written 30 มีนาคม 66)
    assert len(re.findall(r"(?<![0-9])5 เม.ย. 66", flat)) == 12
    assert "1 เม.ย. 66" in flat and "15 เม.ย. 66" in flat
    assert flat.count("ทุก 1 เดือน") == 29
    assert "No Gift Policy" in flat and "Happy HR" in flat
    assert pages >= 4


@pytest.mark.parametrize(
    ("seed", "figures"),
    [
        ("000", ["๙๐.๔๐", "มิถุนายน ๒๕๖๕", "ดำเนินการแล้วเสร็จ : ฝ่ายปกครองดำเนินการเวียนแจ้ง"]),
        ("001", ["๖๑.๔๙", "๕๕.๖๙", "ร้อยละ ๑๙.๒๘", "ตัวชี้วัดที่ ๒, ๔ และ ๙"]),
        ("002", ["๘๘.๙๘", "ลดลงจำนวน ๑.๐๓ คะแนน", "คุณภาพการดำเนินงาน (๘๒.๘๘ คะแนน)", "<svg"]),
        ("003", ["I๘", "(๗๓.๓๔ คะแนน)", "ทุก ๖ เดือน", 'rowspan="3"']),
        ("004", ["30 มี.ค. 66", "ทุกเดือน", "ฝ่ายการคลัง<br>ฝ่ายเทศกิจ", "ทุก 1 เดือน"]),
    ],
)
def test_the_public_html_page_shows_the_same_figures(db, client, seed, figures):
    memo = _memo(seed)

    page = client.get(f"/memos/{memo.pk}/").content.decode()

    for figure in figures:
        assert figure in page, figure
