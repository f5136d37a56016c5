"""The demo school: a clearly fictional school whose pupils are at every stage of a return from suspension.

Everything is built through the real services (suspensions.services, plans.services, schools.services), so
the demo obeys every rule the app enforces. Dates are worked out from today and the school calendar with
reintegrate.statutory, so the demo always looks current, in term time or in a holiday.

All names, numbers and addresses are invented. Telephone numbers are in Ofcom's range for drama
(01632 960000 to 960999); email addresses use the reserved domain family.example.
"""

from __future__ import annotations

import io
import random
from base64 import b32decode
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw, ImageFont

from documents.models import Letterhead
from duties.models import Duty
from duties.services import duties_sync, duty_complete
from plans import selectors as plan_selectors
from plans import services as plan_services
from plans.models import Criterion, Goal, Meeting, ReintegrationPlan, Review, SupportAction
from pupils.models import Contact, Pupil
from pupils.validators import upn_check_letter
from reintegrate import statutory
from schools.models import Membership, Role, School
from schools.selectors import school_calendar
from schools.services import academic_year_create
from suspensions.models import Suspension, reason_codes_valid_on
from suspensions.services import suspension_cancel, suspension_record

SCHOOL_NAME = "Larkfield Academy (demo)"
SCHOOL_URN = "999999"
LOCAL_AUTHORITY = "Exampleshire"
SCHOOL_ADDRESS = "1 Imaginary Lane\nLarkfield\nExampleshire\nEX0 0AA"
PASSWORD = "reintegrate-demo"  # noqa: S105 - the published demo password, printed by load_demo
SEED = 20261118
PUPIL_COUNT = 60

# The pupil near the cap: 42 days of suspension in four suspensions, one school day apart.
NEAR_CAP_LENGTHS_DAYS = (8, 10, 12, 12)
NEAR_CAP_SPAN = sum(NEAR_CAP_LENGTHS_DAYS) + len(NEAR_CAP_LENGTHS_DAYS)
# School days needed before today: the oldest story (a plan closed as achieved) starts 41 school days back,
# and the near-cap pupil's suspensions need NEAR_CAP_SPAN school days of one year.
PAST_DAYS_NEEDED = max(41, NEAR_CAP_SPAN)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    job_title: str
    # The account's two-factor secret (base32), published with the demo like the password: DEMO ONLY. Add it to an
    # authenticator app, or run `manage.py demo_code <username>` (DEBUG only) for the current code.
    totp_secret: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("head", Role.HEADTEACHER, "Imogen", "Thistlewood", "Headteacher", "DEMOHEADAAAAAAAAAAAAAAAAAAAAAAAA"),
    DemoAccount(
        "pastoral", Role.PASTORAL_LEAD, "Marcus", "Fenwold", "Head of pastoral care", "DEMOPASTORALAAAAAAAAAAAAAAAAAAAA"
    ),
    DemoAccount("senco", Role.SENCO, "Priya", "Oakhollow", "SENCO", "DEMOSENCOAAAAAAAAAAAAAAAAAAAAAAA"),
    DemoAccount(
        "teacher", Role.TEACHER, "Tom", "Brindlecombe", "Teacher of English", "DEMOTEACHERAAAAAAAAAAAAAAAAAAAAA"
    ),
    DemoAccount(
        "office", Role.OFFICE, "Grace", "Pennywhistle", "School business manager", "DEMOOFFICEAAAAAAAAAAAAAAAAAAAAAA"
    ),
    DemoAccount(
        "governor",
        Role.GOVERNOR,
        "Harold",
        "Quinceby",
        "Chair of the behaviour committee",
        "DEMOGOVERNORAAAAAAAAAAAAAAAAAAAA",
    ),
)

FIRST_NAMES = (
    "Amara", "Bilal", "Callum", "Darcy", "Ellis", "Freya", "Gethin", "Hana", "Isaac", "Jaya",
    "Kofi", "Lena", "Mason", "Nia", "Oskar", "Priya", "Quinn", "Rhys", "Sofia", "Tariq",
    "Uma", "Vinnie", "Wren", "Xander", "Yusuf", "Zara", "Alfie", "Bea", "Cody", "Dina",
)  # fmt: skip
LAST_NAMES = (
    "Bramblewick", "Cobbleford", "Dimmockshaw", "Elderquist", "Fernhollow", "Gorseby", "Hazelwhit",
    "Inkerpole", "Juniperdale", "Kettlewick", "Lanternby", "Mossbeck", "Nettlecombe", "Puddlecote",
    "Quillfeather", "Rushlight", "Sorrelby", "Tansyworth", "Umberdale", "Vetchley", "Willowmere",
    "Yarrowby", "Zestwick", "Brackenfold", "Cinderwell", "Dapplegate", "Emberlow", "Foxglade",
    "Glimmerton", "Hollyfrith",
)  # fmt: skip
PARENT_FIRST_NAMES = ("Alex", "Sam", "Jo", "Chris", "Robin", "Jamie", "Morgan", "Charlie", "Pat", "Kim")
RELATIONSHIPS = ("Mother", "Father", "Grandmother", "Stepfather", "Aunt", "Foster carer")
LANGUAGES = ("Polish", "Urdu", "Romanian", "Somali", "Portuguese")


@dataclass
class DemoResult:
    school: School
    pupils: int
    suspensions: int


def totp_key_hex(secret: str) -> str:
    """A base32 secret as django_otp stores it (hex)."""
    return b32decode(secret.replace(" ", "").upper()).hex()


def current_code(device: TOTPDevice) -> tuple[str, int]:
    """The device's code now, and the seconds until the next one."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    seconds_left = device.step - int(timezone.now().timestamp() - device.t0) % device.step
    return f"{totp.token():0{device.digits}d}", seconds_left


def is_demo_account(user: User) -> bool:
    """Whether every role the user holds is at the demo school (and they hold at least one)."""
    urns = set(Membership.objects.filter(user=user).values_list("school__urn", flat=True))
    return urns == {SCHOOL_URN}


def demo_school_exists() -> bool:
    return School.objects.filter(urn=SCHOOL_URN).exists()


def existing_accounts() -> list[DemoAccount]:
    """The demo accounts that exist in this database."""
    found = set(
        get_user_model().objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list("username", flat=True)
    )
    return [account for account in ACCOUNTS if account.username in found]


def taken_usernames() -> list[str]:
    return sorted(account.username for account in existing_accounts())


@transaction.atomic
def _demo_logo() -> bytes:
    """A simple crest for the fictional school: a navy shield with the letters LA."""
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(20, 20), (220, 20), (220, 130), (120, 225), (20, 130)], fill=(29, 53, 87, 255))
    draw.polygon([(36, 36), (204, 36), (204, 124), (120, 203), (36, 124)], outline=(255, 221, 0, 255), width=6)
    font = ImageFont.load_default(size=72)
    draw.text((120, 105), "LA", fill=(255, 255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_load(*, now: datetime) -> DemoResult:
    """Create the demo school, its calendar, staff, pupils and suspensions at every stage, in one transaction."""
    return _Builder(now=now).build()


class _Builder:
    def __init__(self, *, now: datetime) -> None:
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.rng = random.Random(SEED)
        self.suspension_count = 0

    # --- The school, its calendar and its staff ---------------------------------------------------------

    def build(self) -> DemoResult:
        self.school = School.objects.create(
            name=SCHOOL_NAME, urn=SCHOOL_URN, local_authority=LOCAL_AUTHORITY, address=SCHOOL_ADDRESS
        )
        self._calendar()
        self._letterhead()
        self._staff()
        self._pupils()
        self.reasons = {reason.code: reason for reason in reason_codes_valid_on(self.past[-1])}
        self._stories()
        self._past_duties_done()
        return DemoResult(school=self.school, pupils=len(self.pupils), suspensions=self.suspension_count)

    def _letterhead(self) -> None:
        """The demo school's letterhead, with a drawn logo (a fictional crest)."""
        Letterhead.objects.create(
            school=self.school,
            logo=_demo_logo(),
            logo_content_type="image/png",
            phone="01632 960000",
            email="office@larkfield.example",
            website="larkfield.example",
            signatory_name="Ms Ada Okafor",
            signatory_title="Headteacher",
            representations_contact=(
                "Mr Tom Reyes, Clerk to the Governors\nLarkfield Academy (demo)\n1 Imaginary Lane, Larkfield EX0 0AA\n"
                "clerk@larkfield.example"
            ),
        )

    def _calendar(self) -> None:
        current = statutory.academic_year_start(self.today).year
        academic_year_create(school=self.school, start_year=current)
        academic_year_create(school=self.school, start_year=current + 1)
        self.calendar = school_calendar(self.school)
        yesterday = self.today - timedelta(days=1)
        year_start = statutory.academic_year_start(self.today)
        this_year_days = statutory.count_school_days(self.calendar, year_start, yesterday)
        # Early in a school year there is not yet enough history: add last year, where the story began.
        if this_year_days < PAST_DAYS_NEEDED:
            academic_year_create(school=self.school, start_year=current - 1)
            self.calendar = school_calendar(self.school)
        # Every date in the demo is one of these school days before today, counted back: past[0] is the last.
        first = self.calendar.terms[0].start
        self.past = list(reversed(list(statutory.iter_school_days(self.calendar, first, yesterday))))
        # The near-cap pupil's suspensions all fall in one school year: this one if it has room, else last year.
        near_cap_year = year_start.year if this_year_days >= NEAR_CAP_SPAN else year_start.year - 1
        first_day, last_day = date(near_cap_year, 9, 1), date(near_cap_year + 1, 8, 31)
        self.near_cap_days = [day for day in reversed(self.past) if first_day <= day <= last_day]

    def _past_duties_done(self) -> None:
        """A school that keeps up: duties due before yesterday were done on their due day. The rest stay open,
        so the compliance page shows something overdue, something due today and what comes next."""
        by_role: dict[str, User] = {
            Role.HEADTEACHER: self.head,
            Role.PASTORAL_LEAD: self.pastoral,
            Role.SENCO: self.staff["senco"],
            Role.OFFICE: self.staff["office"],
        }
        how: dict[str, tuple[str, str]] = {
            Duty.Kind.PARENTS_TOLD: (Duty.Method.PHONE, "Spoke to the parent by phone and explained the reasons."),
            Duty.Kind.PARENTS_LETTER: (Duty.Method.EMAIL, "Letter sent by email, as the parent agreed."),
            Duty.Kind.LOCAL_AUTHORITY: (Duty.Method.PORTAL, "Submitted on the local authority's exclusions portal."),
            Duty.Kind.GOVERNING_BOARD: (Duty.Method.EMAIL, "Emailed the chair of governors."),
            Duty.Kind.SIXTH_DAY_PROVISION: (
                Duty.Method.OTHER,
                "Exampleshire Learning Centre, 2 Example Road, Exampletown: 08:45 to 15:15 each day.",
            ),
        }
        yesterday = self.today - timedelta(days=1)
        for duty in Duty.objects.filter(school=self.school, status=Duty.Status.OPEN, due_date__lt=yesterday):
            method, evidence = how.get(duty.kind, (Duty.Method.OTHER, "Done, as recorded on the pupil's file."))
            duty_complete(
                duty=duty,
                done_by=by_role.get(duty.owner_role, self.head),
                done_at=timezone.make_aware(datetime.combine(duty.due_date, time(10, 0))),
                method=method,
                evidence=evidence,
            )

    def _staff(self) -> None:
        password = make_password(PASSWORD)  # hashed once: the six accounts share the demo password
        self.staff: dict[str, User] = {}
        for account in ACCOUNTS:
            user = get_user_model().objects.create(
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@larkfield.example",
                password=password,
            )
            Membership.objects.create(user=user, school=self.school, role=account.role, job_title=account.job_title)
            TOTPDevice.objects.create(
                user=user, name="Authenticator app (demo)", confirmed=True, key=totp_key_hex(account.totp_secret)
            )
            self.staff[account.username] = user
        self.head = self.staff["head"]
        self.pastoral = self.staff["pastoral"]

    def _pupils(self) -> None:
        rng = self.rng
        names = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(names)
        year_start = statutory.academic_year_start(self.today).year
        pupils: list[Pupil] = []
        for index, (first, last) in enumerate(names[:PUPIL_COUNT]):
            year_group = 7 + index % 5
            born = date(year_start - 12 - (year_group - 7), 9, 1) + timedelta(days=rng.randrange(365))
            body = f"999{4999:04d}{(year_start - year_group + 7) % 100:02d}{index:03d}"
            sen = rng.choices([Pupil.SEN.NONE, Pupil.SEN.SUPPORT, Pupil.SEN.EHC_PLAN], weights=[72, 20, 8])[0]
            pupils.append(
                Pupil(
                    school=self.school,
                    upn=upn_check_letter(body) + body,
                    legal_first_name=first,
                    legal_last_name=last,
                    date_of_birth=born,
                    year_group=str(year_group),
                    sex=rng.choice([Pupil.Sex.FEMALE, Pupil.Sex.MALE]),
                    sen_status=sen,
                    sen_detail=(
                        "Fictional: speech, language and communication needs; visual timetable in every lesson."
                        if sen != Pupil.SEN.NONE
                        else ""
                    ),
                    fsm_eligible=rng.random() < 0.28,
                    looked_after=rng.random() < 0.04,
                    has_social_worker=rng.random() < 0.09,
                    eal=rng.random() < 0.15,
                )
            )
        self.pupils = Pupil.objects.bulk_create(pupils)
        contacts: list[Contact] = []
        phone = 960100
        for pupil in self.pupils:
            for priority in range(1, rng.choice([2, 3])):
                parent = rng.choice(PARENT_FIRST_NAMES)
                contacts.append(
                    Contact(
                        pupil=pupil,
                        name=f"{parent} {pupil.legal_last_name}",
                        relationship=rng.choice(RELATIONSHIPS),
                        parental_responsibility=True,
                        phone=f"01632 {phone}",
                        # Every seventh family has no email address: their letters are printed.
                        email=(
                            "" if phone % 7 == 0 else f"{parent.lower()}.{pupil.legal_last_name.lower()}@family.example"
                        ),
                        address=f"{rng.randrange(1, 90)} Make-Believe Road\nLarkfield\nEX0 {rng.randrange(1, 9)}ZZ",
                        preferred_language=rng.choice(LANGUAGES) if pupil.eal else "English",
                        priority=priority,
                    )
                )
                phone += 1
        Contact.objects.bulk_create(contacts)
        self.queue = list(self.pupils)
        rng.shuffle(self.queue)

    def _next_pupil(self) -> Pupil:
        return self.queue.pop()

    # --- Writes through the services ----------------------------------------------------------------------

    def _suspend(
        self,
        pupil: Pupil,
        start: date,
        sessions: int | None,
        *,
        kind: str = Suspension.Kind.SUSPENSION,
        reasons: tuple[str, ...] = ("DB",),
        incident: str = "Fictional: repeatedly refused to follow staff instructions and left lessons.",
    ) -> Suspension:
        self.suspension_count += 1
        suspension = suspension_record(
            pupil=pupil,
            kind=kind,
            start_date=start,
            sessions=sessions,
            reasons=[self.reasons[code] for code in reasons],
            incident_summary=incident,
            decided_by=self.head,
            recorded_by=self.pastoral,
        )
        # Recorded on the day it was decided (the school day before it starts), not on the day the demo loads;
        # its "without delay" duties then fell due that day.
        decided = statutory.previous_school_day(self.calendar, start) or start
        recorded_at = min(timezone.make_aware(datetime.combine(decided, time(15, 30))), self.now)
        Suspension.objects.filter(pk=suspension.pk).update(recorded_at=recorded_at)
        suspension.refresh_from_db()
        duties_sync(suspension=suspension, today=self.today)
        return suspension

    def _strategy(self, plan: ReintegrationPlan, *, activate: bool = True, key_adult: User | None = None) -> None:
        first = plan.pupil.first_name
        plan_services.plan_update(
            plan=plan,
            version=plan.version,
            strategy=(
                f"{first} meets their key adult at the pastoral office at 8.40 each morning to go through the day. "
                f"{first} has a time-out card to use instead of leaving a lesson; staff accept it without debate. "
                "Lunch in the library club for the first two weeks."
            ),
            key_adult=key_adult or self.pastoral,
            support_measures="Daily check-in and check-out; a report card signed each lesson.",
            check_in_frequency=ReintegrationPlan.CheckIn.DAILY,
            reasonable_adjustments=(
                "Seat near the door; instructions given one at a time." if plan.pupil.sen_status != "N" else ""
            ),
            activate=activate,
            next_review_date=plan_selectors.suggested_first_review(plan) if activate else None,
        )
        plan.refresh_from_db()

    def _no_meeting(self, plan: ReintegrationPlan, reason: str) -> None:
        plan_services.plan_record_no_meeting(plan=plan, version=plan.version, reason=reason)
        plan.refresh_from_db()

    def _meeting(self, plan: ReintegrationPlan, on: date, at: time, *, status: str) -> Meeting:
        pupil = plan.pupil
        parent = pupil.contacts.order_by("priority").first()
        held = status == Meeting.Status.HELD
        participants: list[dict[str, Any]] = [
            {"name": pupil.first_name, "role": "Pupil", "invited": True, "attended": True if held else None},
            {
                "name": parent.name if parent else "Parent",
                "role": parent.relationship if parent else "Parent",
                "invited": True,
                "attended": True if held else None,
            },
            {
                "name": "Marcus Fenwold",
                "role": "Head of pastoral care",
                "invited": True,
                "attended": True if held else None,
            },
        ]
        return plan_services.meeting_save(
            plan=plan,
            version=None,
            status=status,
            scheduled_for=timezone.make_aware(datetime.combine(on, at)),
            mode=Meeting.Mode.IN_PERSON,
            location="Pastoral office",
            pupil_views=(
                f"{pupil.first_name} said the afternoons are hardest and wants to stay in lessons." if held else ""
            ),
            parent_views="Wants a weekly phone call on how things are going." if held else "",
            notes="Agreed the strategy and two goals; the key adult will phone home each Friday." if held else "",
            participants=participants,
        )

    def _goals(self, plan: ReintegrationPlan, *, weeks: int = 8) -> list[Goal]:
        returned = plan.suspension.return_date
        assert returned is not None
        target = returned + timedelta(weeks=weeks)
        first_check = returned + timedelta(weeks=2)
        behaviour = plan_services.goal_create(
            plan=plan,
            area=Goal.Area.BEHAVIOUR,
            pupil_aim="I want to stay in my lessons and not get sent out.",
            expressed_by=Goal.ExpressedBy.PUPIL,
            expressed_by_name="",
            current_position="Sent out of five lessons in the week before the suspension.",
            pupil_actions="Use my time-out card instead of walking out, and go to my key adult.",
            start_date=returned,
            target_date=target,
            longer_horizon_confirmed=False,
            review_dates=[first_check, returned + timedelta(weeks=4)],
            criteria=[
                {
                    "measure": "On-call logs per week",
                    "kind": Criterion.Kind.NUMBER,
                    "baseline_value": Decimal("5"),
                    "baseline_note": "Five on-calls in the week before the suspension",
                    "comparator": Criterion.Comparator.AT_MOST,
                    "target_value": Decimal("1"),
                    "due_date": target,
                },
                {
                    "measure": "Uses the time-out card instead of leaving the room",
                    "kind": Criterion.Kind.YES_NO,
                    "baseline_value": None,
                    "baseline_note": "",
                    "comparator": "",
                    "target_value": None,
                    "due_date": first_check,
                },
            ],
            actions=[
                {
                    "by_whom": SupportAction.ByWhom.SCHOOL,
                    "description": "Key adult meets the pupil at the gate each morning.",
                    "owner": "Marcus Fenwold",
                    "due_date": returned,
                },
                {
                    "by_whom": SupportAction.ByWhom.FAMILY,
                    "description": "Check the report card each evening and sign it.",
                    "owner": "Parent or carer",
                    "due_date": returned,
                },
            ],
        )
        academic = plan_services.goal_create(
            plan=plan,
            area=Goal.Area.ACADEMIC,
            pupil_aim="I want to catch up on the maths I missed and hand homework in on time.",
            expressed_by=Goal.ExpressedBy.PARENT,
            expressed_by_name="",
            current_position="Four maths homeworks missing; 40% of homework handed in on time this half term.",
            pupil_actions="Go to homework club on Tuesdays and Thursdays.",
            start_date=returned,
            target_date=target,
            longer_horizon_confirmed=False,
            review_dates=[first_check],
            criteria=[
                {
                    "measure": "Homework handed in on time (%)",
                    "kind": Criterion.Kind.NUMBER,
                    "baseline_value": Decimal("40"),
                    "baseline_note": "This half term so far",
                    "comparator": Criterion.Comparator.AT_LEAST,
                    "target_value": Decimal("80"),
                    "due_date": target,
                }
            ],
            actions=[
                {
                    "by_whom": SupportAction.ByWhom.SCHOOL,
                    "description": "Maths teacher sends the missed work home with a worked example.",
                    "owner": "Tom Brindlecombe",
                    "due_date": returned + timedelta(days=7),
                }
            ],
        )
        return [behaviour, academic]

    def _review(
        self,
        plan: ReintegrationPlan,
        held_on: date,
        *,
        decision: str,
        status: str,
        next_review: date | None = None,
        outcome: str = "",
        on_call: str = "1",
        homework: str = "75",
    ) -> Review:
        goals = list(plan.goals.filter(lifecycle_status__in=["proposed", "active"]).prefetch_related("criteria"))
        results: list[dict[str, Any]] = []
        for goal in goals:
            for criterion in goal.criteria.all():
                if criterion.kind == Criterion.Kind.YES_NO:
                    results.append({"criterion": criterion, "observed_yes": True, "comment": "Used it twice."})
                else:
                    value = on_call if criterion.comparator == Criterion.Comparator.AT_MOST else homework
                    results.append({"criterion": criterion, "observed_value": Decimal(value), "comment": ""})
        review = plan_services.review_record(
            plan=plan,
            held_on=held_on,
            participants=f"{plan.pupil.first_name} (pupil)\nMarcus Fenwold (key adult)\nParent by phone",
            decision=decision,
            next_review_date=next_review,
            notes="Fictional review notes: steady progress; keep the morning check-in.",
            criterion_results=results,
            goal_statuses={goal.pk: status for goal in goals},
            outcome=outcome,
            recorded_by=self.pastoral,
        )
        plan.refresh_from_db()
        return review

    # --- The stories --------------------------------------------------------------------------------------

    def _stories(self) -> None:
        past = self.past

        # Returning today (or on the first school day after a holiday): strategy written, meeting held.
        returning = self._suspend(self._next_pupil(), past[1], 4)
        self._meeting(returning.plan, past[0], time(15, 30), status=Meeting.Status.HELD)
        self._strategy(returning.plan)

        # Returning in the next few school days, the plan still a draft with no strategy.
        self._suspend(
            self._next_pupil(),
            past[0],
            6,
            reasons=("VA",),
            incident="Fictional: swore at a member of staff in the corridor and refused to go to the office.",
        )

        # Suspended now; a meeting arranged for the school day before the return, the strategy drafted.
        arranged = self._suspend(self._next_pupil(), past[1], 8, reasons=("PP",))
        assert arranged.return_date is not None
        meeting_day = statutory.suggested_meeting_date(
            self.calendar, return_date=arranged.return_date, today=self.today
        )
        self._meeting(arranged.plan, meeting_day, time(15, 30), status=Meeting.Status.ARRANGED)
        self._strategy(arranged.plan, activate=False)

        # A meeting that was due to take place three school days ago, not yet recorded.
        late = self._suspend(self._next_pupil(), past[5], 4, reasons=("DM",))
        self._meeting(late.plan, past[4], time(15, 30), status=Meeting.Status.ARRANGED)
        self._strategy(late.plan, activate=False)

        # A meeting held, with behaviour and academic goals and measurable criteria.
        held = self._suspend(self._next_pupil(), past[11], 4, reasons=("DB", "VP"))
        self._meeting(held.plan, past[10], time(8, 45), status=Meeting.Status.HELD)
        self._strategy(held.plan)
        self._goals(held.plan)

        # An active plan with two reviews; the next review is due this week.
        reviewed = self._suspend(self._next_pupil(), past[24], 6, reasons=("BU",))
        self._no_meeting(reviewed.plan, "Parents could not attend; the head of year spoke to them by phone instead.")
        self._strategy(reviewed.plan)
        self._goals(reviewed.plan)
        self._review(
            reviewed.plan,
            past[15],
            decision=Review.Decision.CONTINUE,
            status=Goal.Achievement.IMPROVING,
            next_review=past[8],
            on_call="2",
            homework="60",
        )
        self._review(
            reviewed.plan,
            past[8],
            decision=Review.Decision.ADJUST,
            status=Goal.Achievement.IMPROVING,
            next_review=self.today + timedelta(days=3),
        )

        # A plan closed with its goals achieved.
        closed = self._suspend(self._next_pupil(), past[40], 2, reasons=("MT",))
        self._meeting(closed.plan, past[39], time(8, 30), status=Meeting.Status.HELD)
        self._strategy(closed.plan)
        self._goals(closed.plan, weeks=6)
        self._review(
            closed.plan,
            past[30],
            decision=Review.Decision.CONTINUE,
            status=Goal.Achievement.IMPROVING,
            next_review=past[20],
        )
        self._review(
            closed.plan,
            past[20],
            decision=Review.Decision.CLOSE,
            status=Goal.Achievement.ACHIEVED,
            outcome=ReintegrationPlan.Outcome.ACHIEVED,
            on_call="0",
            homework="85",
        )

        # A cancelled suspension: new information showed the pupil was not involved.
        cancelled = self._suspend(self._next_pupil(), past[6], 2, reasons=("TH",))
        suspension_cancel(
            suspension=cancelled,
            cancelled_by=self.head,
            reason="Fictional: CCTV showed the pupil was not involved in the theft.",
            now=self.now,
        )

        # A lunchtime suspension: three lunchtimes, lessons as normal.
        lunch = self._suspend(
            self._next_pupil(),
            past[3],
            3,
            kind=Suspension.Kind.LUNCHTIME,
            reasons=("VP",),
            incident="Fictional: repeated name-calling in the canteen after two warnings.",
        )
        self._no_meeting(lunch.plan, "Lunchtime suspension: the head of year spoke to the parent by phone.")
        self._strategy(lunch.plan)

        # A permanent exclusion (no plan: the pupil does not return).
        self._suspend(
            self._next_pupil(),
            past[2],
            None,
            kind=Suspension.Kind.PERMANENT,
            reasons=("OW",),
            incident="Fictional: brought a prohibited item into school after a previous final warning.",
        )

        self._near_cap()
        self._history()

    def _near_cap(self) -> None:
        """A pupil with 42 days of suspension in one school year, three short of the 45-day cap.

        The year is this one, unless it is too young to hold 42 days (early in the autumn term): then last year.
        """
        pupil = self._next_pupil()
        days = self.near_cap_days
        index = 0
        plans: list[ReintegrationPlan] = []
        for length in NEAR_CAP_LENGTHS_DAYS:
            suspension = self._suspend(
                pupil,
                days[index],
                length * 2,
                reasons=("DB", "VA"),
                incident="Fictional: persistent disruption; refused to hand over a phone and left the site.",
            )
            plans.append(suspension.plan)
            index += length + 1
        for plan in plans:
            self._no_meeting(plan, "Parent declined a meeting; agreed the strategy by phone.")
            self._strategy(plan, key_adult=self.staff["senco"])
        # Each earlier plan was closed on the day of the return, escalated to more support.
        for plan in plans[:-1]:
            returned = plan.suspension.return_date
            assert returned is not None
            self._review(
                plan,
                returned,
                decision=Review.Decision.CLOSE,
                status=Goal.Achievement.NO_CHANGE,
                outcome=ReintegrationPlan.Outcome.ESCALATED,
            )
        # The latest was reviewed on the return; the next review has since become overdue.
        latest = plans[-1]
        returned = latest.suspension.return_date
        assert returned is not None
        if returned < self.past[0]:
            self._review(
                latest,
                returned,
                decision=Review.Decision.ESCALATE,
                status=Goal.Achievement.NO_CHANGE,
                next_review=max(returned, self.today - timedelta(days=6)) + timedelta(days=1),
            )

    def _history(self) -> None:
        """Earlier suspensions this year, most closed, so that the figures have something to count."""
        outcomes = [
            ReintegrationPlan.Outcome.ACHIEVED,
            ReintegrationPlan.Outcome.PARTLY_ACHIEVED,
            ReintegrationPlan.Outcome.NOT_ACHIEVED,
        ]
        codes = ["DB", "DB", "VA", "PP", "VP", "DM", "BU", "DB", "MT", "VA"]
        for index, code in enumerate(codes):
            start = self.past[12 + index * 3]
            suspension = self._suspend(self._next_pupil(), start, self.rng.choice([1, 2, 2, 4, 6]), reasons=(code,))
            plan = suspension.plan
            self._no_meeting(plan, "Spoke to the parent by phone on the day of the return.")
            self._strategy(plan)
            returned = suspension.return_date
            assert returned is not None
            review_days = [day for day in reversed(self.past) if day >= returned]
            if index % 3 != 2 and review_days:
                self._review(
                    plan,
                    review_days[min(5, len(review_days) - 1)],
                    decision=Review.Decision.CLOSE,
                    status=Goal.Achievement.ACHIEVED,
                    outcome=outcomes[index % len(outcomes)],
                )
