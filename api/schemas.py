"""The API's request and response shapes (pydantic, through django-ninja). The OpenAPI document is built from these.

Conventions: dates are ISO 8601 (2026-11-18), times are ISO 8601 with their offset, numbers of days are decimals
(2.5), enumerations are the values the pages store (e.g. "suspension", "am"). A field about something the token's
role may not see (the SEN detail, a suspension's reasons) is null rather than left out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar

from django.db.models import Choices
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from duties.models import Duty
from evidence.models import AttendanceMark, BehaviourEvent
from plans.models import Criterion, Goal, ReintegrationPlan, Review, SupportAction
from pupils.models import Pupil, YearGroup
from schools.models import Role
from suspensions.models import Suspension

MAX_ID = 2**63 - 1  # the largest id the database holds: larger ones are refused (422), never sent to it
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 10**9
MAX_ITEMS = 1000  # rows in one evidence request

T = TypeVar("T")


def _no_control_characters(value: str) -> str:
    """NUL cannot be stored (PostgreSQL refuses it); refuse it, and the other C0 controls but tab and newlines."""
    if any(ord(char) < 32 and char not in "\t\n\r" for char in value):
        raise ValueError("Remove control characters (such as NUL) from this text.")
    return value


EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def _in_range(value: date) -> date:
    """Dates far from today are typing mistakes, and date arithmetic near year 1 or 9999 overflows: refuse them."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"Enter a date between {EARLIEST:%d/%m/%Y} and {LATEST:%d/%m/%Y}.")
    return value


Text = Annotated[str, AfterValidator(_no_control_characters)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[date, AfterValidator(_in_range)]
Moment = Annotated[datetime, AfterValidator(_in_range)]


def one_of(choices: type[Choices], *, blank: bool = False) -> Any:
    """The stored values of a set of Django choices as a Literal type (an inline enum in the OpenAPI document: the
    choices classes share names such as "Kind" and "Status", which would clash as named schemas)."""
    values = tuple(str(value) for value in choices.values)
    return Literal[(*values, "") if blank else values]


# The enumerations: plain strings to the type checker, Literal types (checked, and listed in the schema) at run time.
if TYPE_CHECKING:
    YearGroupValue = str
    SexValue = str
    SenValue = str
    RoleValue = str
    SuspensionKind = str
    SuspensionStatus = str
    PlanStatus = str
    CheckInValue = str
    OutcomeValue = str
    GoalArea = str
    ExpressedByValue = str
    GoalLifecycle = str
    GoalAchievement = str
    CriterionKind = str
    CriterionSource = str
    ComparatorValue = str
    ByWhomValue = str
    ReviewDecision = str
    DutyKind = str
    DutyAbout = str
    DutyStatus = str
    DutyMethod = str
    BehaviourKind = str
    SessionValue = str
    ComparatorOrBlank = str
    CheckInOrBlank = str
    OutcomeOrBlank = str
    DutyMethodOrBlank = str
else:
    YearGroupValue = one_of(YearGroup)
    SexValue = one_of(Pupil.Sex)
    SenValue = one_of(Pupil.SEN)
    RoleValue = one_of(Role)
    SuspensionKind = one_of(Suspension.Kind)
    SuspensionStatus = one_of(Suspension.Status)
    PlanStatus = one_of(ReintegrationPlan.Status)
    CheckInValue = one_of(ReintegrationPlan.CheckIn)
    OutcomeValue = one_of(ReintegrationPlan.Outcome)
    GoalArea = one_of(Goal.Area)
    ExpressedByValue = one_of(Goal.ExpressedBy)
    GoalLifecycle = one_of(Goal.Lifecycle)
    GoalAchievement = one_of(Goal.Achievement)
    CriterionKind = one_of(Criterion.Kind)
    CriterionSource = one_of(Criterion.Source)
    ComparatorValue = one_of(Criterion.Comparator)
    ByWhomValue = one_of(SupportAction.ByWhom)
    ReviewDecision = one_of(Review.Decision)
    DutyKind = one_of(Duty.Kind)
    DutyAbout = one_of(Duty.About)
    DutyStatus = one_of(Duty.Status)
    DutyMethod = one_of(Duty.Method)
    BehaviourKind = one_of(BehaviourEvent.Kind)
    SessionValue = one_of(AttendanceMark.Session)
    ComparatorOrBlank = one_of(Criterion.Comparator, blank=True)
    CheckInOrBlank = one_of(ReintegrationPlan.CheckIn, blank=True)
    OutcomeOrBlank = one_of(ReintegrationPlan.Outcome, blank=True)
    DutyMethodOrBlank = one_of(Duty.Method, blank=True)


# --- Errors and pages ---------------------------------------------------------------------------------------------


class ErrorItem(Schema):
    field: str = Field(
        description='Where the problem is: a field, as a dotted path such as "items.3.upn"; "" for the whole request.'
    )
    message: str


class Error(Schema):
    """Every 4xx response has this shape."""

    detail: str = Field(description="What went wrong, in a sentence.")
    errors: list[ErrorItem] = Field(default_factory=list, description="One entry per problem, when there are any.")


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items to return (at most 200).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class Page(Schema, Generic[T]):
    count: int = Field(description="How many items match the filters, on all pages.")
    limit: int
    offset: int
    items: list[T]


class SaveSummary(Schema):
    created: int = Field(description="Rows created.")
    updated: int = Field(description="Rows that existed and were changed.")
    unchanged: int = Field(description="Rows that existed already as sent: nothing changed.")


# --- The token ----------------------------------------------------------------------------------------------------


class SchoolOut(Schema):
    id: int
    name: str
    urn: str


class MeOut(Schema):
    token_name: str
    token_prefix: str
    school: SchoolOut
    role: RoleValue
    role_label: str
    capabilities: list[str] = Field(description="What the role may do, as on the pages (schools/access.py).")
    acts_for: str | None = Field(description="The member of staff whose name goes on what the token writes.")


# --- Pupils -------------------------------------------------------------------------------------------------------


class PupilFilters(PageQuery):
    search: Text = Field("", max_length=100, description="Names or UPN; also finds pupils who have left.")
    year_group: YearGroupValue | None = None
    upn: Text = Field("", max_length=20, description="Exactly this UPN (spaces and case ignored).")


class PupilOut(Schema):
    id: int
    upn: str
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    display_name: str
    date_of_birth: date
    year_group: YearGroupValue
    sex: SexValue
    sen_status: SenValue
    fsm_eligible: bool
    looked_after: bool
    has_social_worker: bool
    eal: bool
    is_active: bool
    flags: list[str] = Field(description="What staff need to know at a glance, e.g. 'EHCP', 'Looked after'.")


class SuspensionTotals(Schema):
    as_of: date
    term_label: str
    year_label: str
    term_sessions: int
    term_days: float
    year_sessions: int = Field(description="Including days at previous schools in the same school year.")
    year_days: float
    cap_remaining_sessions: int = Field(description="Sessions left before the 45-day limit in this school year.")
    cap_remaining_days: float
    near_cap: bool = Field(description="Within five school days of the 45-day limit.")


class PupilDetailOut(PupilOut):
    sen_detail: str | None = Field(description="Null when the token's role may not see the SEN detail.")
    suspension_totals: SuspensionTotals | None = Field(
        description="Days of suspension this term and school year; null when the role may not see suspensions."
    )


class ContactOut(Schema):
    id: int
    name: str
    relationship: str
    parental_responsibility: bool
    phone: str
    email: str
    address: str
    preferred_language: str
    priority: int


# --- Suspensions --------------------------------------------------------------------------------------------------


class SuspensionFilters(PageQuery):
    pupil: Id | None = None
    status: SuspensionStatus | None = None
    kind: SuspensionKind | None = None
    start_from: Day | None = Field(None, description="Starting on or after this date.")
    start_to: Day | None = Field(None, description="Starting on or before this date.")
    returns_from: Day | None = Field(None, description="Returning on or after this date.")
    returns_to: Day | None = Field(None, description="Returning on or before this date.")


class ReasonOut(Schema):
    code: str
    description: str


class ReasonCodeOut(ReasonOut):
    valid_from: date
    valid_to: date | None


class ReasonCodeFilters(Schema):
    on: Day | None = Field(None, description="The codes in force on this date (default: today).")


class DecisionMakerOut(Schema):
    user_id: int
    name: str
    is_acting: bool


class SuspensionOut(Schema):
    id: int
    pupil_id: int
    kind: SuspensionKind
    status: SuspensionStatus
    start_date: date
    start_session: Literal["am", "pm"]
    sessions: int | None = Field(description="Length in sessions (half days); null for a permanent exclusion.")
    days: float | None
    length_label: str = Field(description="The length as staff say it, e.g. '2 days', '1 lunchtime'.")
    last_day: date | None
    return_date: date | None = Field(description="The day the pupil is back in school (from the school calendar).")
    return_session: Literal["am", "pm", ""]
    follows_id: int | None
    plan_id: int | None
    misses_public_exam: bool
    exam_date: date | None
    recorded_at: datetime
    reasons: list[ReasonOut] | None = Field(description="Null when the role may not see the reasons.")
    decided_by_role: str | None = Field(description="Null when the role may not see who decided.")
    cancelled_at: datetime | None
    cancellation_reason: str | None = Field(description="Null when the role may not see the detail.")


class SuspensionDetailOut(SuspensionOut):
    pupil_totals: SuspensionTotals = Field(description="The pupil's running totals today, this one included.")


class IncidentOut(Schema):
    suspension_id: int
    incident_summary: str


class SuspensionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    pupil: Id
    kind: SuspensionKind = "suspension"
    start_date: Day
    start_session: Literal["am", "pm"] = "am"
    sessions: int | None = Field(
        None, ge=1, le=32767, description="Length in sessions (half days; 2 = one day). Null for a permanent exclusion."
    )
    reasons: list[Annotated[Text, Field(min_length=1, max_length=10)]] = Field(
        max_length=10, description="One to three reason codes in force today, e.g. ['DB'] (see /reason-codes)."
    )
    incident_summary: Text = Field(max_length=20000)
    decided_by: Id = Field(description="The user id of the headteacher who decided (see /decision-makers).")
    misses_public_exam: bool = False
    exam_date: Day | None = None
    follows: Id | None = Field(None, description="For a further suspension: the suspension it follows.")


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field(max_length=20000, description="Sent to the parents, the governing board and the LA.")


# --- Plans, goals, criteria, reviews ------------------------------------------------------------------------------


class PlanFilters(PageQuery):
    pupil: Id | None = None
    suspension: Id | None = None
    status: PlanStatus | None = None


class ResultOut(Schema):
    review_id: int
    held_on: date
    observed_value: float | None
    observed_yes: bool | None
    met: bool | None
    comment: str


class CriterionOut(Schema):
    id: int
    goal_id: int
    measure: str
    kind: CriterionKind
    source: CriterionSource = Field(
        description="'manual': entered by staff at each review; otherwise measured from the school's data "
        "(see /plans/{plan_id}/measures)."
    )
    source_category: str = Field(description="The behaviour category counted, for source 'category'.")
    baseline_value: float | None
    baseline_note: str
    comparator: ComparatorOrBlank
    target_value: float | None
    target_label: str
    due_date: date
    latest_result: ResultOut | None = Field(
        description="What the latest review that measured it saw; null if none did, or the role may not see reviews."
    )


class ActionOut(Schema):
    id: int
    by_whom: ByWhomValue
    description: str
    owner: str
    due_date: date
    done_on: date | None


class GoalOut(Schema):
    id: int
    plan_id: int
    area: GoalArea
    pupil_aim: str
    expressed_by: ExpressedByValue
    expressed_by_name: str
    current_position: str
    pupil_actions: str
    start_date: date
    target_date: date
    longer_horizon_confirmed: bool
    review_dates: list[date]
    lifecycle_status: GoalLifecycle
    achievement_status: GoalAchievement
    version: int
    criteria: list[CriterionOut]
    actions: list[ActionOut]


class ParticipantOut(Schema):
    name: str
    role: str
    invited: bool
    attended: bool | None


class WeekOut(Schema):
    start: date = Field(description="The Monday.")
    value: float | None = Field(description="Null: no data for that week yet.")


class MeasureOut(Schema):
    """A criterion measured from the school's data, evaluated from the return to today."""

    criterion_id: int
    goal_id: int
    measure: str
    source: CriterionSource
    source_category: str
    unit: str = Field(description="For example 'incidents a week' or '% attendance'.")
    value: float | None = Field(description="The figure compared with the target; null without data yet.")
    baseline: float | None = Field(description="The criterion's baseline, else the four weeks before the suspension.")
    comparator: ComparatorOrBlank
    target_value: float | None
    target_label: str
    met: bool | None
    since: date
    weeks_with_data: int
    summary: str = Field(description="The figure in words, as the plan page shows it.")
    weeks: list[WeekOut]


class MeetingOut(Schema):
    status: str
    scheduled_for: datetime
    mode: str
    location: str
    pupil_views: str
    parent_views: str
    notes: str
    participants: list[ParticipantOut]


class PlanOut(Schema):
    id: int
    pupil_id: int
    suspension_id: int
    status: PlanStatus
    strategy: str
    key_adult: str | None = Field(description="The key adult's name.")
    support_measures: str
    check_in_frequency: CheckInOrBlank
    reasonable_adjustments: str
    next_review_date: date | None
    outcome: OutcomeOrBlank
    closed_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class PlanDetailOut(PlanOut):
    goals: list[GoalOut]
    no_meeting_reason: str | None = Field(description="Null when the role may not see the plan's detail.")
    meeting: MeetingOut | None = Field(description="Null when none is arranged, or the role may not see it.")


class GoalFilters(PageQuery):
    plan: Id | None = None
    pupil: Id | None = None
    area: GoalArea | None = None
    lifecycle_status: GoalLifecycle | None = None
    achievement_status: GoalAchievement | None = None


class CriterionFilters(PageQuery):
    plan: Id | None = None
    goal: Id | None = None
    pupil: Id | None = None
    due_from: Day | None = None
    due_to: Day | None = None


class ReviewFilters(PageQuery):
    plan: Id | None = None
    pupil: Id | None = None
    decision: ReviewDecision | None = None
    held_from: Day | None = None
    held_to: Day | None = None


class CriterionResultOut(Schema):
    criterion_id: int
    measure: str
    observed_value: float | None
    observed_yes: bool | None
    met: bool | None
    comment: str


class GoalStatusOut(Schema):
    goal_id: int
    achievement_status: GoalAchievement


class ReviewOut(Schema):
    id: int
    plan_id: int
    pupil_id: int
    held_on: date
    participants: str
    decision: ReviewDecision
    next_review_date: date | None
    notes: str
    recorded_at: datetime
    recorded_by: str
    criterion_results: list[CriterionResultOut]
    goal_statuses: list[GoalStatusOut]


class CriterionResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    criterion_id: Id
    observed_value: float | None = Field(None, ge=-9999999.99, le=9999999.99, description="For a number criterion.")
    observed_yes: bool | None = Field(None, description="For a yes or no criterion.")
    comment: Text = Field("", max_length=300)


class GoalStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    goal_id: Id
    achievement_status: GoalAchievement


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    held_on: Day
    participants: Text = Field(max_length=5000, description="Who took part, one per line.")
    decision: ReviewDecision
    next_review_date: Day | None = Field(None, description="Required unless the decision is to close the plan.")
    outcome: OutcomeOrBlank = Field("", description="Required to close the plan.")
    notes: Text = Field("", max_length=20000)
    goal_statuses: list[GoalStatusIn] = Field(
        max_length=500, description="How the pupil is getting on with each live goal: every live goal needs one."
    )
    criterion_results: list[CriterionResultIn] = Field(default_factory=list, max_length=500)


# --- Statutory tasks ----------------------------------------------------------------------------------------------


class DutyFilters(PageQuery):
    pupil: Id | None = None
    suspension: Id | None = None
    status: DutyStatus | None = Field(None, description="All statuses when left out.")
    kind: DutyKind | None = None
    owner_role: RoleValue | None = None
    due_from: Day | None = None
    due_to: Day | None = None


class DutyOut(Schema):
    id: int
    pupil_id: int
    suspension_id: int | None
    part_time_timetable_id: int | None
    kind: DutyKind
    kind_label: str
    about: DutyAbout
    due_date: date
    without_delay: bool
    owner_role: RoleValue
    detail: str
    status: DutyStatus
    done_at: datetime | None
    done_by: str | None
    method: DutyMethodOrBlank
    evidence: str


class DutyCompleteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    done_at: Moment = Field(description="When it was done: not in the future.")
    method: DutyMethod
    evidence: Text = Field("", max_length=20000, description="Required for sixth-day provision.")


# --- Evidence -----------------------------------------------------------------------------------------------------


class EvidenceFilters(PageQuery):
    pupil: Id | None = None
    upn: Text = Field("", max_length=20, description="The pupil's UPN.")
    date_from: Day | None = None
    date_to: Day | None = None


class BehaviourFilters(EvidenceFilters):
    kind: BehaviourKind | None = None
    category: Text = Field("", max_length=100, description="Exactly this category (case ignored).")


class MarkFilters(EvidenceFilters):
    code: Text = Field("", max_length=3, description="Exactly this register code, e.g. 'E'.")


Upn = Annotated[Text, Field(min_length=1, max_length=20, description="The pupil's UPN.")]


class BehaviourEventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upn: Upn
    occurred_on: Day
    kind: BehaviourKind = "incident"
    category: Text = Field(min_length=1, max_length=100, pattern=r"\S")
    points: int = Field(0, ge=-100000, le=100000)
    description: Text = Field("", max_length=300)
    source_id: Text = Field("", max_length=100, description="The event's id in the MIS: send it when there is one.")


class BehaviourEventsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[BehaviourEventIn] = Field(min_length=1, max_length=MAX_ITEMS)


class BehaviourEventOut(Schema):
    id: int
    pupil_id: int
    upn: str
    occurred_on: date
    kind: BehaviourKind
    category: str
    points: int
    description: str
    source_id: str
    imported_at: datetime


Sessions = Annotated[int, Field(ge=0, le=10)]


class AttendanceWeekIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upn: Upn
    week_start: Day = Field(description="The Monday of the week.")
    possible_sessions: Sessions
    attended_sessions: Sessions
    late_sessions: Sessions = 0
    suspended_sessions: Sessions = Field(0, description="Sessions marked E (suspended).")


class AttendanceWeeksIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[AttendanceWeekIn] = Field(min_length=1, max_length=MAX_ITEMS)


class AttendanceWeekOut(Schema):
    id: int
    pupil_id: int
    upn: str
    week_start: date
    possible_sessions: int
    attended_sessions: int
    late_sessions: int
    suspended_sessions: int
    percentage: float | None
    imported_at: datetime


class AttendanceMarkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upn: Upn
    date: Day
    session: SessionValue
    code: str = Field(pattern=r"^[A-Za-z0-9/\\#]{1,3}$", description="The register code, e.g. '/', 'L', 'E', 'C2'.")


class AttendanceMarksIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[AttendanceMarkIn] = Field(min_length=1, max_length=MAX_ITEMS)


class AttendanceMarkOut(Schema):
    id: int
    pupil_id: int
    upn: str
    date: date
    session: SessionValue
    code: str
    imported_at: datetime


# Pages of each resource: named classes, so the OpenAPI document has plain names.
class PupilPage(Page[PupilOut]):
    pass


class SuspensionPage(Page[SuspensionOut]):
    pass


class PlanPage(Page[PlanOut]):
    pass


class GoalPage(Page[GoalOut]):
    pass


class CriterionPage(Page[CriterionOut]):
    pass


class ReviewPage(Page[ReviewOut]):
    pass


class DutyPage(Page[DutyOut]):
    pass


class BehaviourEventPage(Page[BehaviourEventOut]):
    pass


class AttendanceWeekPage(Page[AttendanceWeekOut]):
    pass


class AttendanceMarkPage(Page[AttendanceMarkOut]):
    pass
