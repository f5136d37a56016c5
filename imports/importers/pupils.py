"""Pupils and their contacts, matched on UPN.

Contacts come as extra columns of the same file: "Contact 1 name", "Contact 1 relationship", ... and the same for
contact 2 (the MIS's priority order). A contact is matched to the pupil's existing contacts by name (ignoring case
and spaces); a new name adds a contact. Contacts already held but not in the file are kept. Only the columns chosen
are written: a field with no column keeps what Reintegrate holds. Pupils not in the file are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from imports.framework import (
    Change,
    Context,
    Field,
    Importer,
    Plan,
    Row,
    change_text,
    parse_date,
    parse_yes_no,
    skipped_notes,
)
from imports.models import ImportKind
from pupils.models import Contact, Pupil
from pupils.validators import normalise_upn, validate_upn

BATCH = 1000
CONTACTS = (1, 2)
NURSERY = "nursery pupils (Reintegrate holds pupils from Reception to Year 13)"

PUPIL_FIELDS = (
    Field("upn", "UPN", True, ("UPN", "Unique Pupil Number", "Pupil UPN", "Student UPN"), "The unique pupil number."),
    Field(
        "legal_last_name",
        "Legal surname",
        True,
        ("Legal Surname", "Surname", "Last Name", "Legal Last Name", "Family Name", "Student Surname"),
    ),
    Field(
        "legal_first_name",
        "Legal forename",
        True,
        ("Legal Forename", "Forename", "First Name", "Legal First Name", "Given Name", "Forenames", "Student Forename"),
    ),
    Field("preferred_first_name", "Preferred forename", False, ("Preferred Forename", "Preferred First Name")),
    Field("preferred_last_name", "Preferred surname", False, ("Preferred Surname", "Preferred Last Name")),
    Field("date_of_birth", "Date of birth", True, ("DOB", "Date of Birth", "Birth Date", "Birthdate")),
    Field(
        "year_group",
        "Year group",
        True,
        ("Year", "NC Year", "Year Group", "National Curriculum Year", "NC Year Actual", "Curriculum Year", "Yr"),
        "Reception to Year 13, as R, 9, Y9 or Year 9. Nursery pupils are left out.",
    ),
    Field("sex", "Sex", True, ("Gender", "Sex", "Legal Sex"), "F or M (Female or Male), as in the school census."),
    Field(
        "sen_status",
        "SEN status",
        False,
        ("SEN Status", "SEN", "SEN Provision", "SEN Stage", "SEND Status", "SEN Need"),
        "N (none), K (SEN support) or E (EHC plan). A blank cell means none.",
    ),
    Field(
        "fsm_eligible",
        "Eligible for free school meals",
        False,
        ("FSM", "FSM Eligible", "Free School Meals", "FSM Eligibility", "Eligible for FSM"),
        "Y or N. A blank cell means no.",
    ),
    Field(
        "eal", "English as an additional language", False, ("EAL", "English as an Additional Language", "EAL Status")
    ),
    Field(
        "looked_after",
        "Looked after",
        False,
        ("Looked After", "In Care", "CLA", "LAC", "Child Looked After", "Looked After Child"),
    ),
    Field("has_social_worker", "Has a social worker", False, ("Has Social Worker", "Social Worker", "CIN", "CP")),
)

_CONTACT_PARTS = (
    ("name", "name", ("Name", "Full Name")),
    ("relationship", "relationship", ("Relationship", "Relation", "Relationship to Pupil", "Relationship to Student")),
    ("email", "email", ("Email", "Email Address", "E-mail")),
    ("phone", "phone", ("Phone", "Telephone", "Phone Number", "Mobile", "Main Phone", "Telephone Number")),
    ("address", "address", ("Address", "Home Address")),
    (
        "pr",
        "parental responsibility",
        ("Parental Responsibility", "PR", "Has Parental Responsibility"),
    ),
)
_CONTACT_PREFIXES = {1: ("Contact 1", "Parent 1", "Guardian 1", "Carer 1", "Priority 1", "Primary Contact")}
_CONTACT_PREFIXES[2] = ("Contact 2", "Parent 2", "Guardian 2", "Carer 2", "Priority 2", "Secondary Contact")


def _contact_fields() -> tuple[Field, ...]:
    fields = []
    for n in CONTACTS:
        for part, label, suffixes in _CONTACT_PARTS:
            headings = tuple(f"{prefix} {suffix}" for prefix in _CONTACT_PREFIXES[n] for suffix in suffixes)
            hint = "Y or N. A blank cell means yes." if part == "pr" else ""
            fields.append(Field(f"contact{n}_{part}", f"Contact {n} {label}", False, headings, hint, f"Contact {n}"))
    return tuple(fields)


CONTACT_FIELDS = _contact_fields()
CONTACT_VALUES = ("relationship", "email", "phone", "address", "parental_responsibility")
CONTACT_LABELS = {
    "name": "name",
    "relationship": "relationship",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "parental_responsibility": "parental responsibility",
    "priority": "priority",
}


def parse_upn(text: str) -> str:
    upn = normalise_upn(text)
    try:
        validate_upn(upn)
    except ValidationError as exc:
        if exc.code == "upn_check_letter":
            raise ValueError(f"UPN {upn} has a wrong check letter") from None
        raise ValueError(f"UPN {upn}: {exc.messages[0]}") from None
    return upn


class Nursery(Exception):
    pass


def parse_year_group(text: str) -> str:
    value = re.sub(r"[\s\-_.]", "", text.casefold())
    value = re.sub(r"^(nationalcurriculumyear|ncyear|year|yr|nc|y)", "", value) or value
    if value in ("r", "rec", "reception", "0", "yr", "fs2", "f2"):
        return "R"
    if value in ("n", "n1", "n2", "nursery", "fs1", "f1", "e1", "e2"):
        raise Nursery
    if value.isdigit() and 1 <= int(value) <= 13:
        return str(int(value))
    raise ValueError(f"'{text}' is not a year group: write R for Reception or a number from 1 to 13")


def parse_sex(text: str) -> str:
    value = text.strip().casefold()
    if value in ("m", "male", "boy"):
        return Pupil.Sex.MALE
    if value in ("f", "female", "girl"):
        return Pupil.Sex.FEMALE
    raise ValueError(f"'{text}': Reintegrate records sex as F or M, as in the school census")


def parse_sen(text: str) -> str:
    value = " ".join(text.casefold().split())
    if value in ("", "n", "no", "none", "nosen", "-") or value.startswith(("no ", "not ")):
        return Pupil.SEN.NONE
    letter = re.match(r"^([neks])(?:$|[\s\-:\u2013(])", value)
    if letter:
        return {"n": Pupil.SEN.NONE, "k": Pupil.SEN.SUPPORT, "e": Pupil.SEN.EHC_PLAN, "s": Pupil.SEN.EHC_PLAN}[
            letter.group(1)
        ]
    if "ehc" in value or "education, health and care" in value or "statement" in value:
        return Pupil.SEN.EHC_PLAN
    if "support" in value:
        return Pupil.SEN.SUPPORT
    raise ValueError(f"'{text}' is not an SEN status: write N (none), K (SEN support) or E (EHC plan)")


def _email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError(f"'{text}' is not an email address") from None
    return text


def _address(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def contact_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class ContactRow:
    priority: int
    name: str
    values: dict[str, Any]  # only the parts whose column was chosen


@dataclass(frozen=True)
class PupilRow:
    number: int
    upn: str
    values: dict[str, Any]  # the pupil's fields whose column was chosen
    contacts: tuple[ContactRow, ...]

    @property
    def about(self) -> str:
        first = self.values.get("legal_first_name", "")
        last = self.values.get("legal_last_name", "")
        return f"{first} {last} ({self.upn})".strip()


@dataclass
class PupilsPayload:
    new: list[PupilRow]
    updated: list[tuple[int, PupilRow]]  # the pupil's id, the row
    pupil_fields: list[str]
    new_contacts: list[tuple[int | str, ContactRow]]  # pupil id, or the UPN of a new pupil
    contact_updates: list[tuple[int, ContactRow]]  # contact id, the row
    contact_fields: list[str]


class PupilsImporter(Importer):
    kind = ImportKind.PUPILS
    title = "Pupils and contacts"
    summary = "Your pupils on roll, matched on UPN, with up to two contacts each."
    fields = PUPIL_FIELDS + CONTACT_FIELDS
    noun = ("pupil", "pupils")
    example = [
        {
            "upn": "U820400026010",
            "legal_last_name": "Example",
            "legal_first_name": "Alex",
            "preferred_first_name": "Al",
            "date_of_birth": "14/03/2013",
            "year_group": "8",
            "sex": "F",
            "sen_status": "N",
            "fsm_eligible": "N",
            "eal": "N",
            "looked_after": "N",
            "has_social_worker": "N",
            "contact1_name": "Sam Example",
            "contact1_relationship": "Mother",
            "contact1_email": "sam@family.example",
            "contact1_phone": "01632 960000",
            "contact1_address": "1 Example Road, Exampletown EX1 1AA",
            "contact1_pr": "Y",
        }
    ]

    def column_problems(self, columns: dict[str, str]) -> dict[str, str]:
        problems = {}
        for n in CONTACTS:
            others = [p for p, _, _ in _CONTACT_PARTS if p != "name" and f"contact{n}_{p}" in columns]
            if others and f"contact{n}_name" not in columns:
                problems[f"contact{n}_name"] = f"Choose the column with contact {n}'s name, or none for their details"
            elif f"contact{n}_name" in columns and f"contact{n}_relationship" not in columns:
                problems[f"contact{n}_relationship"] = f"Choose the column with contact {n}'s relationship to the pupil"
        return problems

    def parse(self, row: Row, ctx: Context) -> PupilRow | None:
        try:
            year = row.value("year_group", parse_year_group, required="Enter the pupil's year group")
        except Nursery:
            ctx.skip(NURSERY)
            return None
        upn = row.value("upn", parse_upn, required="Enter the pupil's UPN")
        values: dict[str, Any] = {"year_group": year}
        values["legal_last_name"] = row.text(
            "legal_last_name", required="Enter the pupil's legal surname", max_length=100, label="The surname"
        )
        values["legal_first_name"] = row.text(
            "legal_first_name", required="Enter the pupil's legal forename", max_length=100, label="The forename"
        )
        for name in ("preferred_first_name", "preferred_last_name"):
            if row.has(name):
                values[name] = row.text(name, max_length=100, label="The preferred name")
        birth = row.value("date_of_birth", parse_date, required="Enter the pupil's date of birth")
        if birth is not None and not _plausible_birth(birth, ctx.today):
            row.problem("date_of_birth", f"{birth:%d/%m/%Y} is not a pupil's date of birth (aged 2 to 25 today)")
        values["date_of_birth"] = birth
        values["sex"] = row.value("sex", parse_sex, required="Enter the pupil's sex, F or M")
        if row.has("sen_status"):
            values["sen_status"] = row.value("sen_status", parse_sen, default=Pupil.SEN.NONE)
        for name in ("fsm_eligible", "eal", "looked_after", "has_social_worker"):
            if row.has(name):
                values[name] = row.value(name, parse_yes_no, default=False)
        contacts = tuple(c for n in CONTACTS if (c := self._contact(row, n)) is not None)
        if row.problems or upn is None:
            return None
        return PupilRow(number=row.number, upn=upn, values=values, contacts=contacts)

    def _contact(self, row: Row, n: int) -> ContactRow | None:
        prefix = f"contact{n}_"
        if not row.has(prefix + "name"):
            return None
        name = row.text(prefix + "name", max_length=200, label=f"Contact {n}'s name")
        details = [p for p, _, _ in _CONTACT_PARTS if p not in ("name", "pr") and row.raw(prefix + p).strip()]
        if not name:
            if details:
                row.problem(prefix + "name", f"Contact {n} has details but no name: enter their name")
            return None
        values: dict[str, Any] = {
            "relationship": row.text(
                prefix + "relationship",
                required=f"Enter contact {n}'s relationship to the pupil, for example Mother",
                max_length=100,
                label="The relationship",
            )
        }
        if row.has(prefix + "email"):
            values["email"] = row.value(prefix + "email", _email, default="")
            if len(values["email"]) > 254:
                row.problem(prefix + "email", "The email address is too long")
        if row.has(prefix + "phone"):
            values["phone"] = row.text(prefix + "phone", max_length=40, label="The phone number")
        if row.has(prefix + "address"):
            values["address"] = row.value(prefix + "address", _address, default="")
        if row.has(prefix + "pr"):
            values["parental_responsibility"] = row.value(prefix + "pr", parse_yes_no, default=True)
        return ContactRow(priority=n, name=name, values=values)

    def plan(self, items: list[PupilRow], ctx: Context) -> Plan:
        plan = Plan()
        seen: dict[str, int] = {}
        for item in items:
            if item.upn in seen:
                plan.problems.append(
                    ctx.problem(
                        item.number,
                        ctx.heading("upn", "UPN"),
                        f"UPN {item.upn} is in the file twice: also on row {seen[item.upn]}",
                    )
                )
            else:
                seen[item.upn] = item.number
            names = [contact_key(c.name) for c in item.contacts]
            if len(names) != len(set(names)):
                plan.problems.append(
                    ctx.problem(
                        item.number, ctx.heading("contact2_name", "Contact 2 name"), "Contacts 1 and 2 have one name"
                    )
                )
        if plan.problems:
            return plan
        pupil_fields = sorted({name for item in items for name in item.values})
        existing = {
            row["upn"]: row for row in Pupil.objects.filter(school=ctx.school).values("pk", "upn", *pupil_fields)
        }
        has_contacts = any(item.contacts for item in items)
        contacts_by_pupil: dict[int, dict[str, dict[str, Any]]] = {}
        if has_contacts:
            for contact in Contact.objects.filter(pupil__school=ctx.school).values(
                "pk", "pupil_id", "name", "priority", *CONTACT_VALUES
            ):
                contacts_by_pupil.setdefault(contact["pupil_id"], {}).setdefault(contact_key(contact["name"]), contact)
        payload = PupilsPayload([], [], pupil_fields, [], [], [])
        contact_fields: set[str] = set()
        for item in items:
            current = existing.get(item.upn)
            if current is None:
                plan.new += 1
                payload.new.append(item)
                payload.new_contacts.extend((item.upn, c) for c in item.contacts)
                plan.sample(Change(item.number, "new", item.about, tuple(_contact_line(c) for c in item.contacts)))
                continue
            details = [
                change_text(self.field(name).label, current[name], value)
                for name, value in item.values.items()
                if current[name] != value
            ]
            if details:
                payload.updated.append((current["pk"], item))
            held = contacts_by_pupil.get(current["pk"], {})
            for contact in item.contacts:
                old = held.get(contact_key(contact.name))
                if old is None:
                    payload.new_contacts.append((current["pk"], contact))
                    details.append(_contact_line(contact))
                    continue
                wanted = {**contact.values, "priority": contact.priority, "name": contact.name}
                changed = [k for k, v in wanted.items() if old[k] != v]
                if changed:
                    contact_fields.update(changed)
                    payload.contact_updates.append((old["pk"], contact))
                    details.append(
                        f"Contact {contact.name}: " + ", ".join(CONTACT_LABELS[k] for k in changed) + " changed"
                    )
            if details:
                plan.updated += 1
                plan.sample(Change(item.number, "updated", item.about, tuple(details)))
            else:
                plan.unchanged += 1
        payload.contact_fields = sorted(contact_fields)
        new_contacts = len(payload.new_contacts)
        if new_contacts or payload.contact_updates:
            plan.notes.append(
                f"{new_contacts:,} contact{'' if new_contacts == 1 else 's'} to add, "
                f"{len(payload.contact_updates):,} to update."
            )
        plan.notes.extend(skipped_notes(ctx, self))
        plan.payload = payload
        return plan

    def apply(self, plan: Plan, ctx: Context) -> list[str]:
        payload: PupilsPayload = plan.payload
        school = ctx.school
        created = Pupil.objects.bulk_create(
            [Pupil(school=school, **item.values, upn=item.upn) for item in payload.new], batch_size=BATCH
        )
        ids = {pupil.upn: pupil.pk for pupil in created if pupil.pk is not None}
        if len(ids) < len(created):  # a database that does not return ids from a bulk insert
            ids = dict(Pupil.objects.filter(school=school).values_list("upn", "pk"))
        if payload.updated:
            Pupil.objects.bulk_update(
                [Pupil(pk=pk, **item.values) for pk, item in payload.updated], payload.pupil_fields, batch_size=500
            )
        Contact.objects.bulk_create(
            [
                Contact(
                    pupil_id=pupil if isinstance(pupil, int) else ids[pupil],
                    name=c.name,
                    priority=c.priority,
                    **c.values,
                )
                for pupil, c in payload.new_contacts
            ],
            batch_size=BATCH,
        )
        if payload.contact_updates:
            Contact.objects.bulk_update(
                [Contact(pk=pk, name=c.name, priority=c.priority, **c.values) for pk, c in payload.contact_updates],
                payload.contact_fields,
                batch_size=500,
            )
        lines = [
            f"{self.counted(plan.new)} added, {plan.updated:,} updated, {plan.unchanged:,} unchanged.",
        ]
        if payload.new_contacts or payload.contact_updates:
            lines.append(
                f"{len(payload.new_contacts):,} contact{'' if len(payload.new_contacts) == 1 else 's'} added, "
                f"{len(payload.contact_updates):,} updated."
            )
        return lines


def _plausible_birth(birth: date, today: date) -> bool:
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return 2 <= age <= 25


def _contact_line(contact: ContactRow) -> str:
    return f"New contact {contact.priority}: {contact.name} ({contact.values.get('relationship', '')})"
