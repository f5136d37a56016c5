"""Reads for pupils: the searchable pupil list, each pupil's flags and suspension days, their plans, days at previous
schools, the governing board's decisions and the repeated-suspensions alert."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet, Sum

from duties.models import BoardConsideration
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

    The figure that counts towards the 45-day cap: it includes days at previous schools in the same school year
    (domain.md section 2, row 2). One query for the suspensions of all the pupils, one for their days at previous
    schools, plus the calendar: the count does not grow with the number of pupils. Cancelled suspensions and
    permanent exclusions are not counted.
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
    previous = dict(
        PreviousSchoolSuspension.objects.filter(pupil_id__in=pupil_ids, academic_year_start=year_start)
        .values("pupil_id")
        .annotate(total=Sum("sessions"))
        .values_list("pupil_id", "total")
    )
    calendar = school_calendar(school)
    days: dict[int, str] = {}
    for pupil_id in pupil_ids:
        totals = statutory.totals_on(
            calendar, periods.get(pupil_id, []), on=today, previous_school_sessions=previous.get(pupil_id, 0)
        )
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


@dataclass(frozen=True)
class PreviousSchoolRow:
    """One entry of days at a previous school, with its figures as staff say them."""

    entry: PreviousSchoolSuspension

    @property
    def days(self) -> str:
        return statutory.format_days(self.entry.sessions)

    @property
    def year_label(self) -> str:
        return statutory.academic_year_label(self.entry.academic_year_start)


def previous_school_suspensions(pupil: Pupil) -> list[PreviousSchoolRow]:
    """The pupil's entries of days at previous schools, newest school year first. One query."""
    entries = pupil.previous_school_suspensions.order_by("-academic_year_start", "school_name", "id")
    return [PreviousSchoolRow(entry=entry) for entry in entries]


def previous_school_sessions_in_year(rows: Iterable[PreviousSchoolRow], *, today: date) -> int:
    """Sessions at previous schools in the school year containing `today`, from rows already read."""
    year_start = statutory.academic_year_start(today)
    return sum(row.entry.sessions for row in rows if row.entry.academic_year_start == year_start)


def board_considerations(pupil: Pupil) -> list[BoardConsideration]:
    """The governing board's record for each of the pupil's suspensions that has one, newest suspension first.

    The outcome stays on the pupil's record (domain.md section 2, row 29). One query.
    """
    return list(
        BoardConsideration.objects.filter(suspension__pupil=pupil)
        .select_related("suspension")
        .order_by("-suspension__start_date", "-suspension_id")
    )


@dataclass(frozen=True)
class RepeatAlert:
    """The repeated-suspensions check for a pupil, with its figures ready to show."""

    check: statutory.RepeatCheck

    @property
    def reached(self) -> bool:
        return self.check.reached

    @property
    def suspensions(self) -> int:
        return self.check.suspensions

    @property
    def days(self) -> str:
        return statutory.format_days(self.check.sessions)

    @property
    def since(self) -> date:
        return self.check.since


def pupil_repeat_alert(pupil: Pupil, *, suspensions: Iterable[Suspension], today: date) -> RepeatAlert:
    """Whether the pupil's suspensions in the last three terms reach the school's alert thresholds.

    Guidance para 7: where suspensions become regular, consider whether suspension alone is working and whether a
    pastoral support programme is needed. The thresholds are the school's own (School.repeat_alert_suspensions and
    repeat_alert_days). Cancelled suspensions and permanent exclusions are not counted. `suspensions` are the
    pupil's suspensions already read, so this adds only the calendar's queries.
    """
    periods = [period for s in suspensions if not s.is_cancelled and (period := s.period) is not None]
    school = pupil.school
    check = statutory.repeated_suspensions(
        school_calendar(school),
        periods,
        on=today,
        count_threshold=school.repeat_alert_suspensions,
        days_threshold=school.repeat_alert_days,
    )
    return RepeatAlert(check=check)
