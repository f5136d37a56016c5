"""Pupils: the list (search, year group, UPN), one pupil with their suspension totals, and their contacts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from api.audit import record_api_access
from api.common import READ_ERRORS, page_of, paginate
from api.schemas import ContactOut, Id, PupilDetailOut, PupilFilters, PupilPage, SuspensionTotals
from pupils.models import Pupil
from pupils.selectors import pupil_contacts, pupil_flags, pupil_list
from pupils.validators import normalise_upn
from schools.access import Access, Can, get_for, require
from suspensions.selectors import PupilSuspensionSummary, pupil_suspension_summary

router = Router(tags=["Pupils"])


def pupil_out(pupil: Pupil) -> dict[str, Any]:
    return {
        "id": pupil.pk,
        "upn": pupil.upn,
        "legal_first_name": pupil.legal_first_name,
        "legal_last_name": pupil.legal_last_name,
        "preferred_first_name": pupil.preferred_first_name,
        "preferred_last_name": pupil.preferred_last_name,
        "display_name": pupil.display_name,
        "date_of_birth": pupil.date_of_birth,
        "year_group": pupil.year_group,
        "sex": pupil.sex,
        "sen_status": pupil.sen_status,
        "fsm_eligible": pupil.fsm_eligible,
        "looked_after": pupil.looked_after,
        "has_social_worker": pupil.has_social_worker,
        "eal": pupil.eal,
        "is_active": pupil.is_active,
        "flags": pupil_flags(pupil),
    }


def totals_out(summary: PupilSuspensionSummary) -> SuspensionTotals:
    totals = summary.totals
    return SuspensionTotals(
        as_of=timezone.localdate(),
        term_label=summary.term_label,
        year_label=summary.year_label,
        term_sessions=totals.term_sessions,
        term_days=float(totals.term_days),
        year_sessions=totals.year_sessions,
        year_days=float(totals.year_days),
        cap_remaining_sessions=totals.cap_remaining_sessions,
        cap_remaining_days=float(totals.cap_remaining_days),
        near_cap=summary.near_cap,
    )


def pupil_detail_out(pupil: Pupil, access: Access) -> dict[str, Any]:
    totals = None
    if access.can(Can.VIEW_SUSPENSIONS):
        totals = totals_out(pupil_suspension_summary(pupil, today=timezone.localdate()))
    return {
        **pupil_out(pupil),
        "sen_detail": pupil.sen_detail if access.can(Can.VIEW_SEN_DETAIL) else None,
        "suspension_totals": totals,
    }


@router.get("", response={200: PupilPage, **READ_ERRORS}, summary="List the school's pupils")
def pupil_list_read(request: HttpRequest, filters: Query[PupilFilters]) -> Any:
    """Pupils by legal surname. Without a search only pupils on roll are listed; a search or a UPN also finds pupils
    who have left. Capability: view_pupils."""
    access = require(request, Can.VIEW_PUPILS)
    if filters.upn:
        pupils = Pupil.objects.filter(school=access.school, upn=normalise_upn(filters.upn))
        if filters.year_group:
            pupils = pupils.filter(year_group=filters.year_group)
    else:
        pupils = pupil_list(school=access.school, search=filters.search, year_group=filters.year_group or "")
    count, items = paginate(pupils.order_by("legal_last_name", "legal_first_name", "id"), filters)
    record_api_access(request, [(pupil, pupil.pk) for pupil in items], what="pupil")
    return page_of(count, filters, [pupil_out(pupil) for pupil in items])


@router.get("/{pupil_id}", response={200: PupilDetailOut, **READ_ERRORS}, summary="One pupil")
def pupil_read(request: HttpRequest, pupil_id: Id) -> Any:
    """The pupil, with the SEN detail (capability view_sen_detail) and the days of suspension this term and school
    year (view_suspensions); each is null for a role without it. Capability: view_pupils."""
    pupil, access = get_for(request, Pupil.objects.select_related("school"), Can.VIEW_PUPILS, pk=pupil_id)
    record_api_access(request, [(pupil, pupil.pk)], what="pupil")
    return pupil_detail_out(pupil, access)


@router.get("/{pupil_id}/contacts", response={200: list[ContactOut], **READ_ERRORS}, summary="A pupil's contacts")
def pupil_contacts_read(request: HttpRequest, pupil_id: Id) -> Any:
    """The adults to contact about the pupil, first to contact first. Capability: view_contacts."""
    pupil, _access = get_for(request, Pupil.objects.select_related("school"), Can.VIEW_CONTACTS, pk=pupil_id)
    contacts = list(pupil_contacts(pupil))
    record_api_access(request, [(contact, pupil.pk) for contact in contacts], what="contact")
    return [
        {
            "id": contact.pk,
            "name": contact.name,
            "relationship": contact.relationship,
            "parental_responsibility": contact.parental_responsibility,
            "phone": contact.phone,
            "email": contact.email,
            "address": contact.address,
            "preferred_language": contact.preferred_language,
            "priority": contact.priority,
        }
        for contact in contacts
    ]
