"""Reads for pupils: the searchable pupil list, each pupil's flags and suspension days, and their plans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from plans.models import Goal, ReintegrationPlan
from pupils.models import Contact, PreviousSchoolSuspension, Pupil
from pupils.validators import normalise_upn
from reintegrate import statutory
from schools.models import School
from schools.selectors import school_calendar
from suspensions.models import Suspension

_NAME_FIELDS = ("legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name")


def pupil_list(*, school: School, search: str = "", year_group: str = "") -> QuerySet[Pupil]:
    """The school's pupils, by legal surname, optionally matching a search and a year group.

    A search matches legal or preferred first or last names, or the UPN, ignoring case. Each word must
    match somewhere, so "jordan ash" finds Jordan Ashby. Without a search only pupils still on roll are
    listed; a search also finds pupils who have left, so their records can still be reached.
    """
    pupils = Pupil.objects.filter(school=school)
    words = search.split()
    if words:
        compact_upn = normalise_upn(search)
        by_words = Q()
        for word in words:
            any_field = Q(upn__icontains=word)
            for field in _NAME_FIELDS:
                any_field |= Q(**{f"{field}__icontains": word})
            by_words &= any_field
        pupils = pupils.filter(by_words | Q(upn__icontains=compact_upn))
    else:
        pupils = pupils.filter(is_active=True)
    if year_group:
        pupils = pupils.filter(year_group=year_group)
    return pupils.order_by("legal_last_name", "legal_first_name", "id")


def pupil_flags(pupil: Pupil) -> list[str]:
    """Short text labels for what staff need to know at a glance (never colour alone)."""
    flags: list[str] = []
    if pupil.sen_status == Pupil.SEN.SUPPORT:
        flags.append("SEN support")
    elif pupil.sen_status == Pupil.SEN.EHC_PLAN:
        flags.append("EHCP")
    if pupil.looked_after:
        flags.append("Looked after")
    if pupil.fsm_eligible:
        flags.append("FSM")
    if pupil.has_social_worker:
        flags.append("Social worker")
    if pupil.eal:
        flags.append("EAL")
    if not pupil.is_active:
        flags.append("Left the school")
    return flags


def suspension_days_this_year(*, school: School, pupils: Iterable[Pupil], today: date) -> dict[int, str]:
    """Days of suspension in the school year containing `today`, for each pupil (e.g. {12: "2.5"}).

    One query for the suspensions of all the pupils, plus the calendar: the count does not grow with
    the number of pupils. Cancelled suspensions and permanent exclusions are not counted.
    """
    pupil_ids = [pupil.pk for pupil in pupils]
    if not pupil_ids:
        return {}
    year_start = statutory.academic_year_start(today)
    year_end = date(year_start.year + 1, 8, 31)
    rows = (
        Suspension.objects.filter(
            school=school,
            pupil_id__in=pupil_ids,
            status=Suspension.Status.CONFIRMED,
            start_date__lte=year_end,
            last_day__gte=year_start,
        )
        .exclude(kind=Suspension.Kind.PERMANENT)
        .only("pupil_id", "start_date", "last_day", "return_date", "return_session", "occupied_sessions")
    )
    periods: dict[int, list[statutory.SuspensionPeriod]] = defaultdict(list)
    for suspension in rows:
        period = suspension.period
        if period is not None:
            periods[suspension.pupil_id].append(period)
    calendar = school_calendar(school)
    days: dict[int, str] = {}
    for pupil_id in pupil_ids:
        totals = statutory.totals_on(calendar, periods.get(pupil_id, []), on=today)
        days[pupil_id] = statutory.format_days(totals.year_sessions)
    return days


def pupil_contacts(pupil: Pupil) -> QuerySet[Contact]:
    return pupil.contacts.order_by("priority", "name")


def pupil_plans(pupil: Pupil, *, active_only: bool) -> list[ReintegrationPlan]:
    """The pupil's reintegration plans with their suspensions and goals, newest return first.

    `active_only` is for roles that may see only active plans (a teacher: no drafts, no closed plans).
    """
    plans = (
        ReintegrationPlan.objects.filter(pupil=pupil)
        .select_related("suspension")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("area", "id")))
        .order_by("-suspension__start_date", "-id")
    )
    if active_only:
        plans = plans.filter(status=ReintegrationPlan.Status.ACTIVE)
    return list(plans)


def previous_school_sessions_by_year(pupil: Pupil) -> dict[date, int]:
    """Sessions of suspension at previous schools, by the 1 September that opens each school year."""
    totals: dict[date, int] = defaultdict(int)
    for year_start, sessions in PreviousSchoolSuspension.objects.filter(pupil=pupil).values_list(
        "academic_year_start", "sessions"
    ):
        totals[year_start] += sessions
    return dict(totals)
