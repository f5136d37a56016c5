"""The DfE suspension and permanent exclusion reason codes in force since 1 September 2020.

Source: domain.md section 3 (EGfL code list, cross-checked against Arbor's and ScholarPack's mappings).
A later code list is added by a new data migration that sets valid_to on codes it replaces.
"""

from datetime import date

from django.db import migrations

VALID_FROM = date(2020, 9, 1)
CODES = [
    ("PP", "Physical assault against a pupil"),
    ("PA", "Physical assault against an adult"),
    ("VP", "Verbal abuse or threatening behaviour against a pupil"),
    ("VA", "Verbal abuse or threatening behaviour against an adult"),
    ("OW", "Use or threat of use of an offensive weapon or prohibited item"),
    ("BU", "Bullying"),
    ("RA", "Racist abuse"),
    ("LG", "Abuse against sexual orientation and gender identity"),
    ("DS", "Abuse relating to disability"),
    ("SM", "Sexual misconduct"),
    ("DA", "Drug and alcohol related"),
    ("DM", "Damage to property"),
    ("TH", "Theft"),
    ("DB", "Persistent or general disruptive behaviour"),
    ("MT", "Inappropriate use of social media or online technology"),
    ("PH", "Wilful and repeated transgression of protective measures in place to protect public health"),
]


def add_codes(apps, schema_editor):
    ReasonCode = apps.get_model("suspensions", "ReasonCode")
    for code, description in CODES:
        ReasonCode.objects.update_or_create(code=code, valid_from=VALID_FROM, defaults={"description": description})


def remove_codes(apps, schema_editor):
    ReasonCode = apps.get_model("suspensions", "ReasonCode")
    ReasonCode.objects.filter(valid_from=VALID_FROM, code__in=[c for c, _ in CODES]).delete()


class Migration(migrations.Migration):
    dependencies = [("suspensions", "0001_initial")]
    operations = [migrations.RunPython(add_codes, remove_codes)]
