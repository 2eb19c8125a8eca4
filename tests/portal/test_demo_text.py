"""What users read of the demo data holds no notes meant for its authors ("seed 001: …")."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

INTERNAL = re.compile(r"\bseed \d{3}\b", re.IGNORECASE)  # the seed documents: "seed 001"
APPS = ("assessments", "measures", "ita_portal")


# Where a framework item was taken from, for the central team in the admin: naming the source
# documents is its purpose.
PROVENANCE = "source"


def _text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
        and f.concrete
        and f.name != PROVENANCE
    ]


@pytest.mark.django_db
def test_no_loaded_text_mentions_the_seed_documents():
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for name in _text_fields(model):
                rows = model.objects.filter(**{f"{name}__icontains": "seed 0"})
                found += [(model.__name__, name, v) for v in rows.values_list(name, flat=True)]
    assert [row for row in found if INTERNAL.search(row[2])] == []


def test_no_template_mentions_the_seed_documents():
    templates = Path(settings.BASE_DIR) / "templates"
    assert [p.name for p in templates.rglob("*.html") if INTERNAL.search(p.read_text())] == []
