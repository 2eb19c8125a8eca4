"""Thai formatting and parsing: Buddhist-era dates, Thai digits, fiscal-year labels, memo numbers.

Pure functions, kept in the lowest layer so that forms in every app and the portal's template
filters (ita_portal/templatetags/thai.py) share one implementation.
"""

import datetime
import re
from decimal import Decimal

BE_OFFSET = 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def thai_digits(value: object) -> str:
    """Write every Arabic digit of ``value`` as a Thai digit: 2566 → ๒๕๖๖."""
    return str(value).translate(_TO_THAI)


def arabic_digits(value: str) -> str:
    """Write every Thai digit as an Arabic digit: ๒๕๖๖ → 2566."""
    return value.translate(_TO_ARABIC)


def digits(value: object, *, thai: bool) -> str:
    """Thai or Arabic digits, as a memo's setting asks."""
    return thai_digits(value) if thai else str(value)


def signer_name(name: str) -> str:
    """A signer's name as a memo prints it, in parentheses: "(นายสมชาย ใจดี)"; a name typed
    with its parentheses already is printed as typed, not "((นายสมชาย ใจดี))"."""
    name = name.strip()
    if name.startswith("(") and name.endswith(")"):
        return name
    return f"({name})"


def be_year(day: datetime.date) -> int:
    """The Buddhist-era year of a date."""
    return day.year + BE_OFFSET


def thai_date(day: datetime.date, *, thai: bool = True, with_day: bool = True) -> str:
    """The official memo date: ๒๒ พฤศจิกายน ๒๕๖๙ (or พฤศจิกายน ๒๕๖๙ while the day is left blank)."""
    text = f"{MONTHS[day.month - 1]} {be_year(day)}"
    if with_day:
        text = f"{day.day} {text}"
    return digits(text, thai=thai)


def thai_date_short(day: datetime.date, *, thai: bool = False) -> str:
    """A short date as in plans and tables: 30 มี.ค. 66."""
    return digits(f"{day.day} {MONTHS_SHORT[day.month - 1]} {be_year(day) % 100:02d}", thai=thai)


def be_numeric_date(day: datetime.date) -> str:
    """A form date as Thai offices write it: 30/03/2566."""
    return f"{day.day:02d}/{day.month:02d}/{be_year(day)}"


def be_numeric_datetime(moment: datetime.datetime) -> str:
    """A moment as histories show it, in the time already localised: 04/12/2569 14:05 น."""
    return f"{be_numeric_date(moment.date())} {moment:%H:%M} น."


_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})\s*$")
_WORDS = re.compile(r"^\s*(\d{1,2})\s+(\S+?)\s*(\d{2}|\d{4})\s*$")


def _full_be_year(year: int) -> int:
    return year + 2500 if year < 100 else year


def _be_date(year: int, month: int, day: int, shown: str) -> datetime.date:
    if not 2400 <= year <= 2700:
        raise ValueError(f"ปีต้องเป็นปีพุทธศักราช เช่น 2566: '{shown}'")
    try:
        return datetime.date(year - BE_OFFSET, month, day)
    except ValueError:
        raise ValueError(f"ไม่มีวันที่นี้ในปฏิทิน: '{shown}'") from None


def parse_be_date(value: "str | datetime.date") -> datetime.date:
    """Read a Buddhist-era date as staff type it, in a form or a spreadsheet: the one date rule.

    Text: 30/03/2566, 30-3-66, 30.03.2566, "30 มี.ค. 66" and "30 มีนาคม 2566", in Thai or Arabic
    digits. A two-digit year is Buddhist era 25xx (66 is 2566), as Thai offices write it; a
    four-digit year must be Buddhist era (2400–2700), so a Christian-era 2023 is refused rather
    than read as 1480. A date Excel holds as a date is Christian era as Excel keeps it, unless
    its year is 2400 or later: then it is a Buddhist-era date typed into an Excel set to the
    Christian calendar (2566-03-30 is 30 March 2023). Raises ValueError with a Thai message for
    anything else (whether a date is plausible for its use is the caller's rule, e.g. a measure's
    deadline, measures.models.Measure.clean).
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if value.year < 2400:
            return value
        shown = f"{value.day:02d}/{value.month:02d}/{value.year}"
        return _be_date(value.year, value.month, value.day, shown)
    text = value
    cleaned = arabic_digits(text or "").strip()
    match = _NUMERIC.match(cleaned)
    if match:
        day, month, year = int(match[1]), int(match[2]), _full_be_year(int(match[3]))
    else:
        match = _WORDS.match(cleaned)
        if not match:
            raise ValueError(f"รูปแบบวันที่ไม่ถูกต้อง: '{text}' (ใช้ วว/ดด/ปปปป พ.ศ. เช่น 30/03/2566)")
        month_name = match[2].rstrip(".") + ("." if match[2].endswith(".") else "")
        if month_name in MONTHS:
            month = MONTHS.index(month_name) + 1
        elif month_name in MONTHS_SHORT:
            month = MONTHS_SHORT.index(month_name) + 1
        else:
            raise ValueError(f"ไม่รู้จักชื่อเดือน '{match[2]}' ในวันที่ '{text}'")
        day, year = int(match[1]), _full_be_year(int(match[3]))
    return _be_date(year, month, day, text)


def fiscal_year_label(year: int, *, thai: bool = False) -> str:
    """ปีงบประมาณ พ.ศ. 2566 (or ๒๕๖๖ with Thai digits)."""
    return digits(f"ปีงบประมาณ พ.ศ. {year}", thai=thai)


def memo_number(prefix: str, running: int | None, *, thai: bool = True) -> str:
    """The memo's ที่ line: กท ๕๖๐๑/๑๒๓; the running part is blank until the memo is numbered."""
    running_text = "" if running is None else str(running)
    return digits(f"{prefix}/{running_text}", thai=thai)


def score_text(value: Decimal | None, *, thai: bool = False) -> str:
    """A score with two places (90.40); a dash when there is none."""
    if value is None:
        return "–"
    return digits(f"{value:.2f}", thai=thai)


def signed_change(value: Decimal | None, *, thai: bool = False) -> str:
    """A change with its sign: +1.25, −1.03, 0.00; a dash when unknown."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return digits(f"{sign}{abs(value):.2f}", thai=thai)


def thai_join(items: list[object], *, thai: bool = True) -> str:
    """A list as Thai writes it: "2, 4 และ 9" (one item alone; empty for none)."""
    texts = [digits(item, thai=thai) for item in items]
    if len(texts) <= 1:
        return "".join(texts)
    return f"{', '.join(texts[:-1])} และ {texts[-1]}"


def memo_date(day: datetime.date | None, *, thai: bool = True, with_day: bool = True) -> str:
    """The วันที่ of a memo; blank when no date is set yet."""
    return "" if day is None else thai_date(day, thai=thai, with_day=with_day)


def thai_datetime_short(moment: datetime.datetime, *, thai: bool = False) -> str:
    """A short date and time for histories: 22 พ.ย. 69 14:05 (the caller localises first)."""
    return f"{thai_date_short(moment.date(), thai=thai)} {digits(f'{moment:%H:%M}', thai=thai)}"
