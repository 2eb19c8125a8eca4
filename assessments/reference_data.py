"""Loading the framework, the units and the demo data from the YAML files in fixtures/.

Every loader is an idempotent upsert by natural key: a row is written only when a value differs,
so loading the same files twice changes nothing (no new history rows, no new timestamps).
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from assessments.frameworks import copy_framework, framework_for, rehome_district_results
from assessments.models import (
    Assessment,
    Confidence,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    Membership,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    Tool,
    ToolScore,
)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class ReferenceDataError(ValueError):
    """A fixture file names something that does not exist or holds a bad value."""


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def upsert(model: type[models.Model], lookup: dict, values: dict, tally: Counter):
    """Create or update one row by its natural key, saving only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        tally[CREATED] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()
        tally[UPDATED] += 1
    else:
        tally[UNCHANGED] += 1
    return obj


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _sourced(item: dict, what: str) -> dict:
    """The confidence and source every framework item of a fixture must carry."""
    confidence = item.get("confidence")
    if confidence not in Confidence.values:
        raise ReferenceDataError(
            f"{what}: ต้องระบุ confidence เป็น {', '.join(Confidence.values)} (พบ {confidence!r})"
        )
    return {"confidence": confidence, "source": item.get("source") or ""}


def load_framework(data: dict, tally: Counter) -> Framework:
    """Upsert one framework with its tools, indicators, sub-indicators, questions and levels.

    A district framework (``unit_kind: district``) becomes the district framework of its
    fiscal years, which the general framework of the year has already opened.
    """
    code = data["code"].lower()
    values = {
        "name": data["name"],
        "pass_mark": _dec(data["pass_mark"]),
        "weakness_target": _dec(data["weakness_target"]),
        "unit_kind": data.get("unit_kind", Framework.UnitKind.GENERAL),
        "copied_from": None,  # a year first shipped as a copy (2569) now has its own fixture
        **_sourced(data, code),
    }
    if "status" in data:
        values["status"] = data["status"]
    framework = upsert(Framework, {"code": code}, values, tally)
    for band in data["levels"]:
        upsert(
            LevelBand,
            {"framework": framework, "code": band["code"]},
            {
                "label": band["label"],
                "min_score": _dec(band["min_score"]),
                "min_tool_score": _dec(band.get("min_tool_score")),
                "passed": bool(band["passed"]),
                **_sourced(band, f"{code} ระดับ {band['code']}"),
            },
            tally,
        )
    tools = {}
    for order, item in enumerate(data["tools"], start=1):
        tools[item["code"]] = upsert(
            Tool,
            {"framework": framework, "code": item["code"]},
            {
                "name": item["name"],
                "weight": _dec(item["weight"]),
                "parts": int(item.get("parts", 0)),
                "order": order,
                **_sourced(item, f"{code} {item['code']}"),
            },
            tally,
        )
    indicators = {}
    for item in data["indicators"]:
        indicators[item["number"]] = upsert(
            Indicator,
            {"framework": framework, "number": item["number"]},
            {
                "name": item["name"],
                "tool": tools[item["tool"]],
                "weight": _dec(item["weight"]),
                **_sourced(item, f"{code} ตัวชี้วัดที่ {item['number']}"),
            },
            tally,
        )
    subs = {}
    for item in data.get("sub_indicators") or []:
        subs[item["code"]] = upsert(
            SubIndicator,
            {"indicator": indicators[item["indicator"]], "code": item["code"]},
            {"name": item["name"], **_sourced(item, f"{code} ตัวชี้วัดย่อยที่ {item['code']}")},
            tally,
        )
    for order, item in enumerate(data["questions"], start=1):
        upsert(
            Question,
            {"framework": framework, "code": item["code"]},
            {
                "indicator": indicators[item["indicator"]],
                "sub_indicator": subs[item["sub_indicator"]] if item.get("sub_indicator") else None,
                "text": item.get("text") or "",
                "group": item.get("group") or "",
                "order": order,
                **_sourced(item, f"{code} ข้อ {item['code']}"),
            },
            tally,
        )
    for year in data["fiscal_years"]:
        if framework.unit_kind == Framework.UnitKind.DISTRICT:
            fiscal_year = _get(FiscalYear, "ปีงบประมาณ", year=year)
            upsert(
                FiscalYear,
                {"year": year},
                {"framework": fiscal_year.framework, "district_framework": framework},
                tally,
            )
        else:
            upsert(FiscalYear, {"year": year}, {"framework": framework}, tally)
    return framework


def load_framework_copy(data: dict, tally: Counter) -> Framework:
    """A framework shipped as a provisional copy of another (``copy_of``): made once, then left
    as the central team edits, imports over or confirms it."""
    code = data["code"].lower()
    framework = Framework.objects.filter(code=code).first()
    if framework is None:
        source = _get(Framework, "เกณฑ์ต้นฉบับ", code=data["copy_of"].lower())
        framework = copy_framework(source, code=code, name=data["name"])
        tally[CREATED] += 1
    else:
        tally[UNCHANGED] += 1
    for year in data["fiscal_years"]:
        upsert(FiscalYear, {"year": year}, {"framework": framework}, tally)
    return framework


def load_units(data: dict, tally: Counter) -> None:
    """Upsert the units tree; every district office gets the standard divisions."""
    standard = data.get("standard_divisions", [])
    for order, item in enumerate(data["units"], start=1):
        parent = OrgUnit.objects.get(code=item["parent"]) if item.get("parent") else None
        unit = upsert(
            OrgUnit,
            {"code": item["code"]},
            {
                "parent": parent,
                "geocode": item.get("geocode", ""),
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "kind": item["kind"],
                "memo_prefix": item.get("memo_prefix", ""),
                "phone": item.get("phone", ""),
                "order": order,
            },
            tally,
        )
        divisions = (
            {d["code"]: d for d in standard} if item["kind"] == OrgUnit.Kind.DISTRICT else {}
        )
        for extra in item.get("divisions", []):
            divisions[extra["code"]] = {**divisions.get(extra["code"], {}), **extra}
        for div_order, division in enumerate(divisions.values(), start=1):
            upsert(
                OrgUnit,
                {"code": f"{unit.code}-{division['code']}"},
                {
                    "parent": unit,
                    "geocode": "",
                    "name": division["name"],
                    "short_name": division["name"],
                    "kind": OrgUnit.Kind.DIVISION,
                    "memo_prefix": division.get("memo_prefix", ""),
                    "phone": division.get("phone", ""),
                    "order": div_order,
                },
                tally,
            )


def _get(model, label: str, **lookup):
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist as exc:
        raise ReferenceDataError(f"ไม่พบ{label}: {lookup}") from exc


def load_assessment(item: dict, tally: Counter) -> Assessment:
    """Upsert one demo assessment and every score it lists."""
    unit = _get(OrgUnit, "หน่วยงาน", code=item["unit"])
    year = _get(FiscalYear, "ปีงบประมาณ", year=item["fiscal_year"])
    framework = framework_for(unit, year)
    existing = Assessment.objects.filter(unit=unit, fiscal_year=year).first()
    published_at = None
    if item.get("published"):
        published_at = (
            existing.published_at if existing and existing.published_at else timezone.now()
        )
    assessment = upsert(
        Assessment,
        {"unit": unit, "fiscal_year": year},
        {
            "official_score": _dec(item.get("official_score")),
            "official_level": item.get("official_level", ""),
            "note": item.get("note", ""),
            "published_at": published_at,
        },
        tally,
    )
    for row in item.get("tools", []):
        tool = _get(Tool, "เครื่องมือ", framework=framework, code=row["code"])
        upsert(
            ToolScore,
            {"assessment": assessment, "tool": tool, "part": row.get("part", 0)},
            {"score": _dec(row["score"])},
            tally,
        )
    for row in item.get("indicators", []):
        indicator = _get(Indicator, "ตัวชี้วัด", framework=framework, number=row["number"])
        upsert(
            IndicatorScore,
            {"assessment": assessment, "indicator": indicator},
            {"score": _dec(row["score"]), "note": row.get("note", "")},
            tally,
        )
    for row in item.get("sub_indicators", []):
        sub = _get(SubIndicator, "ตัวชี้วัดย่อย", indicator__framework=framework, code=row["code"])
        upsert(
            SubIndicatorScore,
            {"assessment": assessment, "sub_indicator": sub},
            {"score": _dec(row["score"])},
            tally,
        )
    for row in item.get("questions", []):
        question = _get(Question, "ข้อคำถาม", framework=framework, code=row["code"])
        upsert(
            QuestionScore,
            {"assessment": assessment, "question": question},
            {
                "score": _dec(row["score"]),
                "lowest_option_share": _dec(row.get("lowest_option_share")),
                "remark": row.get("remark", ""),
            },
            tally,
        )
    return assessment


def load_demo_users(rows: list[dict], password: str, tally: Counter) -> list[dict]:
    """Create the demo logins (a password is set only when the user is new)."""
    User = get_user_model()
    logins = []
    for row in rows:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = User(
                username=row["username"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                is_staff=bool(row.get("superuser")),
                is_superuser=bool(row.get("superuser")),
            )
            user.set_password(password)
            user.save()
            tally[CREATED] += 1
        else:
            tally[UNCHANGED] += 1
        unit = _get(OrgUnit, "หน่วยงาน", code=row["unit"])
        upsert(
            Membership,
            {"user": user, "unit": unit},
            {"role": row["role"], "position": row.get("position", "")},
            tally,
        )
        logins.append({"username": user.username, "role": row["role"], "unit": unit.name})
    return logins


DEMO_PASSWORD = "ita-demo-2569"


@transaction.atomic
def load_all(*, demo: bool = True, fixtures_dir: Path = FIXTURES_DIR) -> tuple[Counter, list[dict]]:
    """Load frameworks, units and (optionally) the demo data in one transaction."""
    tally: Counter = Counter()
    frameworks = [read_yaml(p) for p in sorted((fixtures_dir / "frameworks").glob("*.yaml"))]
    originals = [d for d in frameworks if "copy_of" not in d]
    # General frameworks first: they open the fiscal years a district framework joins, and a
    # copy needs its source.
    for data in sorted(originals, key=lambda d: d.get("unit_kind") == Framework.UnitKind.DISTRICT):
        load_framework(data, tally)
    for data in frameworks:
        if "copy_of" in data:
            load_framework_copy(data, tally)
    load_units(read_yaml(fixtures_dir / "units.yaml"), tally)
    tally[UPDATED] += rehome_district_results()
    logins: list[dict] = []
    if demo:
        for item in read_yaml(fixtures_dir / "demo" / "assessments.yaml"):
            load_assessment(item, tally)
        logins = load_demo_users(
            read_yaml(fixtures_dir / "demo" / "users.yaml"), DEMO_PASSWORD, tally
        )
    return tally, logins
