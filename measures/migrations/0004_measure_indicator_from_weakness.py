# Measures saved for a weakness without an indicator take the weakness's indicator (the one of
# the same number in the measure's own year's framework), as Measure.clean now does for new ones,
# so the memos, dashboards and exports that group by indicator include them.

from django.db import migrations


def take_weakness_indicators(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    Indicator = apps.get_model("assessments", "Indicator")
    measures = Measure.objects.filter(weakness__isnull=False, indicator__isnull=True).values_list(
        "pk", "fiscal_year__framework_id", "weakness__indicator__number"
    )
    for pk, framework_id, number in measures:
        indicator = Indicator.objects.filter(framework_id=framework_id, number=number).first()
        if indicator is not None:
            Measure.objects.filter(pk=pk).update(indicator=indicator)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_text_limits_and_evidence_path"),
    ]

    operations = [
        migrations.RunPython(take_weakness_indicators, migrations.RunPython.noop),
    ]
