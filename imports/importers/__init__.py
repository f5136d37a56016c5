"""The importers, one per kind of import."""

from __future__ import annotations

from django.http import Http404

from imports.framework import Importer
from imports.importers.attendance import AttendanceMarksImporter, AttendanceWeeksImporter
from imports.importers.behaviour import BehaviourImporter
from imports.importers.pupils import PupilsImporter
from imports.importers.term_dates import TermDatesImporter

IMPORTERS: dict[str, Importer] = {
    importer.kind: importer
    for importer in (
        PupilsImporter(),
        TermDatesImporter(),
        BehaviourImporter(),
        AttendanceWeeksImporter(),
        AttendanceMarksImporter(),
    )
}


def importer_for(kind: str) -> Importer:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise Http404("No such import.") from None
