"""The permission matrix: every page of Reintegrate, and what each role gets when it opens one.

This is the route-level statement of who may open what. It is the data for two things:
- reintegrate/tests/test_permission_matrix.py, which opens every route as every role (at the role's own school
  and at another school) and checks the status below. A route in the URLconf without an entry here fails that
  test, and so does an entry whose route no longer exists;
- the section "Every page and who may open it" of docs/permissions.md, generated from this module:

      .venv/bin/python -m reintegrate.tests.permission_matrix

  rewrites that section in place, and a test fails while the two differ.

Each entry says, for every role, the status of a GET on a record of the role's OWN school (for trust-level roles:
a school of their trust): 200 the page opens, 302 the page sends the user on elsewhere, 403 refused, 405 the route
takes no GET. `kwargs` maps each URL argument to the object of the shared test world it is filled from
(see test_permission_matrix.World). Staff of another school get 404 for every route that takes a record id, and
their own school's data only on school-wide pages.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

OK, REDIRECT, DENIED, NO_GET = 200, 302, 403, 405

# The columns of the matrix: every school role (schools.models.Role) and every trust role (TrustRole).
ROLES: tuple[str, ...] = (
    "headteacher",
    "senior_leader",
    "pastoral_lead",
    "senco",
    "teacher",
    "office",
    "governor",
    "dpo",
    "trust_leader",
    "trust_dpo",
)
ROLE_HEADINGS: Mapping[str, str] = {
    "headteacher": "Head",
    "senior_leader": "Senior leader",
    "pastoral_lead": "Pastoral lead",
    "senco": "SENCO",
    "teacher": "Teacher",
    "office": "Office",
    "governor": "Governor",
    "dpo": "DPO",
    "trust_leader": "Trust leader",
    "trust_dpo": "Trust DPO",
}

# Named groups, so that each entry reads as who may open the page.
LEADERS = ("headteacher", "senior_leader")
PASTORAL = (*LEADERS, "pastoral_lead", "senco")  # view and edit plans, see the incident and SEN detail
RECORDERS = (*PASTORAL, "office")  # record suspensions and complete duties
STAFF_WHO_SEE_PUPILS = (*PASTORAL, "teacher", "office", "dpo", "trust_leader", "trust_dpo")
PLAN_READERS = (*PASTORAL, "teacher", "trust_leader")  # the strategy and goals of an active plan
PLAN_DETAIL_READERS = (*PASTORAL, "trust_leader")  # meeting notes, reviews, the printable record
AUDIT_READERS = ("headteacher", "dpo", "trust_dpo")
LETTER_WRITERS = (*PASTORAL, "office")  # preview, send and print letters to families; read the letters issued
LETTER_MANAGERS = (*LEADERS, "office")  # the letterhead and the school's own letter templates
IMPORTERS = (*LEADERS, "office")  # imports from the MIS


def opens(*roles: str, status: int = OK) -> dict[str, int]:
    """`status` for the roles named, 403 for every other role."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"Unknown roles in the matrix: {sorted(unknown)}"
    return {role: status if role in roles else DENIED for role in ROLES}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


@dataclass(frozen=True)
class Route:
    name: str
    page: str  # what the page is, for docs/permissions.md
    get: Mapping[str, int]  # role -> status of a GET at the role's own school
    # URL argument -> object of the test world, or "=value" for a fixed value such as a kind of letter
    kwargs: Mapping[str, str] = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET",)  # the HTTP methods the view accepts (POST = it changes something)
    public: bool = False  # open without signing in
    personal: bool = False  # about the signed-in user's own account or session, not a school's records
    anonymous: int = REDIRECT  # status for a visitor who has not signed in (302 = sent to sign in)

    @property
    def takes_record(self) -> bool:
        return any(not name.startswith("=") for name in self.kwargs.values())

    @property
    def writes(self) -> bool:
        return "POST" in self.methods


GET_POST = ("GET", "POST")

MATRIX: tuple[Route, ...] = (
    # --- Public: signing in and out, and the load balancer's health check ---------------------------------
    Route("healthz", "Health check (no data)", everyone(OK), public=True, anonymous=OK),
    Route(
        "login",
        "Sign in (signed-in staff are sent on to their home page)",
        everyone(REDIRECT),
        methods=GET_POST,
        public=True,
        anonymous=OK,
    ),
    Route(
        "logout",
        "Sign out (a POST from the header's button; a visitor not signed in is sent to sign in)",
        everyone(NO_GET),
        methods=("POST",),
        public=True,
    ),
    # --- Two-factor authentication: the user's own account (staff here are past their code already) ----------
    Route(
        "accounts:verify",
        "Enter the code from the authenticator app (once past it: sent on)",
        everyone(REDIRECT),
        methods=GET_POST,
        personal=True,
    ),
    Route(
        "accounts:enrol",
        "Set up (or replace) the authenticator app",
        everyone(OK),
        methods=GET_POST,
        personal=True,
    ),
    Route(
        "accounts:recover",
        "Sign in with a recovery code (once past the code: sent on)",
        everyone(REDIRECT),
        methods=GET_POST,
        personal=True,
    ),
    Route(
        "accounts:recovery_codes",
        "Recovery codes: how many are left, make new ones",
        everyone(OK),
        methods=GET_POST,
        personal=True,
    ),
    # --- Dashboard -------------------------------------------------------------------------------------------
    Route(
        "dashboard:home",
        "Home: what needs doing today (governors are sent to the figures)",
        {**opens(*STAFF_WHO_SEE_PUPILS), "governor": REDIRECT},
    ),
    Route("dashboard:figures", "Figures: aggregates with no names", opens(*LEADERS, "governor", "trust_leader")),
    # --- The school: calendar, settings, choosing the school -------------------------------------------------
    Route("schools:calendar", "School calendar", opens(*LEADERS, "office")),
    Route("schools:term_edit", "Change a term's dates", opens(*LEADERS, "office"), {"pk": "term"}, methods=GET_POST),
    Route("schools:non_school_day_add", "Add a non-school day", opens(*LEADERS, "office"), methods=GET_POST),
    Route(
        "schools:non_school_day_delete",
        "Delete a non-school day",
        opens(*LEADERS, "office"),
        {"pk": "non_school_day"},
        methods=GET_POST,
    ),
    Route("schools:academic_year_add", "Add the next school year", opens(*LEADERS, "office"), methods=GET_POST),
    Route("schools:settings", "School settings (alert thresholds, notice)", opens(*LEADERS), methods=GET_POST),
    Route(
        "schools:switch",
        "Switch school (every school the user holds a role at)",
        everyone(OK),
        methods=GET_POST,
        personal=True,
    ),
    # --- Pupils ------------------------------------------------------------------------------------------------
    Route("pupils:list", "Pupils: search and list", opens(*STAFF_WHO_SEE_PUPILS)),
    Route("pupils:detail", "A pupil's page", opens(*STAFF_WHO_SEE_PUPILS), {"pk": "pupil"}),
    Route(
        "pupils:previous_school_add",
        "Add days of suspension at a previous school",
        opens(*RECORDERS),
        {"pk": "pupil"},
        methods=GET_POST,
    ),
    Route(
        "pupils:previous_school_delete",
        "Remove days at a previous school",
        opens(*RECORDERS),
        {"pk": "pupil", "entry_pk": "previous_school_entry"},
        methods=GET_POST,
    ),
    Route(
        "pupils:subject_access",
        "Subject access: export everything held about a pupil",
        opens(*AUDIT_READERS),
        {"pk": "pupil"},
        methods=GET_POST,
    ),
    Route("audit:pupil", "A pupil's audit trail", opens(*AUDIT_READERS), {"pupil_pk": "pupil"}),
    # --- Suspensions -------------------------------------------------------------------------------------------
    Route(
        "suspensions:record",
        "Record a suspension",
        opens(*RECORDERS),
        {"pupil_id": "pupil"},
        methods=GET_POST,
    ),
    Route(
        "suspensions:detail",
        "A suspension's page",
        opens(*PASTORAL, "teacher", "office", "trust_leader"),
        {"pk": "suspension"},
    ),
    Route("suspensions:cancel", "Cancel a suspension", opens(*LEADERS), {"pk": "suspension"}, methods=GET_POST),
    # --- Reintegration plans -----------------------------------------------------------------------------------
    Route("plans:detail", "A plan's page (teachers: active plans only)", opens(*PLAN_READERS), {"pk": "plan"}),
    Route("plans:edit", "Write the strategy", opens(*PASTORAL), {"pk": "plan"}, methods=GET_POST),
    Route("plans:meeting", "Arrange or record the meeting", opens(*PASTORAL), {"pk": "plan"}, methods=GET_POST),
    Route("plans:meeting_record", "The printable meeting record", opens(*PLAN_DETAIL_READERS), {"pk": "plan"}),
    Route("plans:no_meeting", "Record why no meeting is held", opens(*PASTORAL), {"pk": "plan"}, methods=GET_POST),
    Route("plans:goal_add", "Add a goal", opens(*PASTORAL), {"pk": "plan"}, methods=GET_POST),
    Route("plans:goal_edit", "Change a goal", opens(*PASTORAL), {"pk": "goal"}, methods=GET_POST),
    Route("plans:review_add", "Record a review", opens(*PASTORAL), {"pk": "plan"}, methods=GET_POST),
    Route("plans:review_detail", "A review's record", opens(*PLAN_DETAIL_READERS), {"pk": "review"}),
    Route("plans:part_time_add", "Record a part-time timetable", opens(*PASTORAL), {"pk": "plan"}, methods=GET_POST),
    Route(
        "plans:part_time_end",
        "End a part-time timetable early",
        opens(*PASTORAL),
        {"pk": "part_time_timetable"},
        methods=GET_POST,
    ),
    # --- Statutory duties and the governing board --------------------------------------------------------------
    Route("duties:list", "Statutory duties across the school", opens(*RECORDERS, "trust_leader")),
    Route("duties:complete", "Record a duty as done", opens(*RECORDERS), {"pk": "duty"}, methods=GET_POST),
    Route(
        "duties:board",
        "The governing board's consideration",
        opens(*LEADERS, "office"),
        {"suspension_pk": "suspension"},
        methods=GET_POST,
    ),
    # --- Letters to families and the school's templates ---------------------------------------------------------
    Route(
        "documents:letter",
        "Preview, then email or print, a letter to the family",
        opens(*LETTER_WRITERS),
        {"pk": "suspension", "kind": "=suspension_notice"},
        methods=GET_POST,
    ),
    Route("documents:issued", "A letter as it was issued", opens(*LETTER_WRITERS), {"pk": "issued_document"}),
    Route(
        "documents:issued_file",
        "Download a letter as issued (PDF or Word)",
        opens(*LETTER_WRITERS),
        {"pk": "issued_document", "fmt": "=pdf"},
    ),
    Route(
        "documents:issued_retry",
        "Send a letter's unsent emails again (a GET goes to the letter)",
        opens(*LETTER_WRITERS, status=REDIRECT),
        {"pk": "issued_document"},
        methods=GET_POST,
    ),
    Route(
        "documents:letterhead",
        "The letterhead: logo, contact details, signatory",
        opens(*LETTER_MANAGERS),
        methods=GET_POST,
    ),
    Route("documents:templates", "The letters and the template each uses", opens(*LETTER_MANAGERS)),
    Route(
        "documents:template_download",
        "Download a letter's default template (Word)",
        opens(*LETTER_MANAGERS),
        {"kind": "=suspension_notice", "which": "=default"},
    ),
    Route(
        "documents:template_upload",
        "Upload the school's own template for a letter",
        opens(*LETTER_MANAGERS),
        {"kind": "=suspension_notice"},
        methods=GET_POST,
    ),
    Route(
        "documents:template_reset",
        "Go back to a letter's default template (a GET goes to the letters)",
        opens(*LETTER_MANAGERS, status=REDIRECT),
        {"kind": "=suspension_notice"},
        methods=GET_POST,
    ),
    # --- Reintegration documents (PDF and Word) and calendar invitations -------------------------------------------
    Route("records:blank_pdf", "The blank meeting template (PDF)", opens(*PLAN_READERS, "office")),
    Route("records:blank_docx", "The blank meeting template (Word)", opens(*PLAN_READERS, "office")),
    Route(
        "records:meeting_record_pdf", "The completed meeting record (PDF)", opens(*PLAN_DETAIL_READERS), {"pk": "plan"}
    ),
    Route(
        "records:meeting_record_docx",
        "The completed meeting record (Word)",
        opens(*PLAN_DETAIL_READERS),
        {"pk": "plan"},
    ),
    Route(
        "records:plan_pdf", "The whole plan with goals and reviews (PDF)", opens(*PLAN_DETAIL_READERS), {"pk": "plan"}
    ),
    Route(
        "records:plan_docx", "The whole plan with goals and reviews (Word)", opens(*PLAN_DETAIL_READERS), {"pk": "plan"}
    ),
    Route(
        "records:my_return_plan_pdf",
        "“My return plan” for the pupil (PDF)",
        opens(*PLAN_DETAIL_READERS),
        {"pk": "plan"},
    ),
    Route(
        "records:my_return_plan_docx",
        "“My return plan” for the pupil (Word)",
        opens(*PLAN_DETAIL_READERS),
        {"pk": "plan"},
    ),
    Route(
        "evidence:register_check",
        "The register check: E marks against the suspensions recorded",
        opens(*RECORDERS, "trust_leader"),
    ),
    # --- Imports from the MIS ---------------------------------------------------------------------------------
    Route("imports:home", "Import data from the MIS: each kind with its last import", opens(*IMPORTERS)),
    Route("imports:history", "Every import: who imported what, when, and what changed", opens(*IMPORTERS)),
    Route("imports:upload", "Upload a file to import", opens(*IMPORTERS), {"kind": "=pupils"}, methods=GET_POST),
    Route("imports:example", "An example file to import (CSV)", opens(*IMPORTERS), {"kind": "=pupils"}),
    Route("imports:job", "An import: progress, problems, preview or result", opens(*IMPORTERS), {"pk": "import_job"}),
    Route(
        "imports:columns",
        "Match a file's columns to Reintegrate's fields",
        opens(*IMPORTERS),
        {"pk": "import_job"},
        methods=GET_POST,
    ),
    Route(
        "imports:apply",
        "Import a checked file (a GET goes to the import's page)",
        opens(*IMPORTERS, status=REDIRECT),
        {"pk": "import_job"},
        methods=GET_POST,
    ),
    Route(
        "imports:cancel",
        "Cancel an import (a GET goes to the import's page)",
        opens(*IMPORTERS, status=REDIRECT),
        {"pk": "import_job"},
        methods=GET_POST,
    ),
    # --- The JSON API's index and its tokens -------------------------------------------------------------------
    Route(
        "api-v1:api-root",
        "The API's index: where its OpenAPI document is (no data)",
        everyone(OK),
        public=True,
        anonymous=OK,
    ),
    Route("api_tokens:list", "API tokens: the school's tokens", opens(*LEADERS)),
    Route("api_tokens:create", "Create an API token", opens(*LEADERS), methods=GET_POST),
    Route(
        "api_tokens:created",
        "A new API token, shown once (afterwards: sent back to the list)",
        opens(*LEADERS, status=REDIRECT),
        {"pk": "api_token"},
    ),
    Route("api_tokens:revoke", "Revoke an API token", opens(*LEADERS), {"pk": "api_token"}, methods=GET_POST),
    Route(
        "calendar:meeting", "The meeting as a calendar invitation (.ics)", opens(*PLAN_DETAIL_READERS), {"pk": "plan"}
    ),
    Route(
        "calendar:next_review",
        "The next review as a calendar invitation (.ics)",
        opens(*PLAN_DETAIL_READERS),
        {"pk": "plan"},
    ),
)

# Routes the matrix does not walk, and where they are tested instead.
EXCLUDED_PREFIXES: Mapping[str, str] = {
    "admin/": "the Django admin: superusers with two-factor authentication only (tested by the admin's own tests)",
    "api/v1/": (
        "the JSON API: token authentication; every operation, for every school role and another school, is tested by "
        "api/tests/test_permissions.py"
    ),
    "api/openapi.json": "the API's OpenAPI document: public, no data (api/tests/test_errors.py)",
}

BY_NAME: Mapping[str, Route] = {route.name: route for route in MATRIX}
assert len(BY_NAME) == len(MATRIX), "A route has two entries in the matrix."


# --- The project's routes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UrlRoute:
    name: str  # namespaced, e.g. "plans:detail"; "" for a route without a name
    pattern: str  # e.g. "plans/<int:pk>/"


def project_routes() -> list[UrlRoute]:
    """Every route of the URLconf (includes followed), except those under EXCLUDED_PREFIXES and static files."""
    from django.conf import settings
    from django.urls import URLPattern, URLResolver, get_resolver

    files = (prefix.lstrip("/") for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix)
    skipped = tuple(EXCLUDED_PREFIXES) + tuple(prefix for prefix in files if prefix)

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[UrlRoute]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(skipped):
                continue
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                yield from walk(pattern.url_patterns, route, inner)
            else:
                name = pattern.name or ""
                yield UrlRoute(f"{namespace}:{name}" if namespace and name else name, route)

    return list(walk(get_resolver().url_patterns, "", ""))


# --- docs/permissions.md ----------------------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
START = "<!-- routes:start (generated by: python -m reintegrate.tests.permission_matrix) -->"
END = "<!-- routes:end -->"
MARKS = {OK: "✓", REDIRECT: "↪", DENIED: "", NO_GET: "POST"}


def _address(pattern: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def routes_markdown(routes: list[UrlRoute]) -> str:
    """The route x role table, for the routes of the matrix, in the matrix's order."""
    addresses = {route.name: _address(route.pattern) for route in routes}
    heading = ["Page", "Route", "Address", *(ROLE_HEADINGS[role] for role in ROLES), "Another school"]
    lines = [
        "| " + " | ".join(heading) + " |",
        "|" + "---|" * 3 + ":-:|" * len(ROLES) + "---|",
    ]
    for route in MATRIX:
        if route.public:
            elsewhere = "public"
        elif route.personal:
            elsewhere = "own account only"
        elif route.takes_record:
            elsewhere = "404"
        else:
            elsewhere = "own school only"
        marks = [MARKS[route.get[role]] for role in ROLES]
        address = addresses.get(route.name, "(missing from the URLconf)")
        lines.append(f"| {route.page} | `{route.name}` | `{address}` | " + " | ".join(marks) + f" | {elsewhere} |")
    return "\n".join(lines)


def doc_section(text: str) -> str:
    """The generated part of docs/permissions.md (between the markers)."""
    if START not in text or END not in text:
        return ""
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def write_doc(routes: list[UrlRoute]) -> None:
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{START}\n{routes_markdown(routes)}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegrate.settings")
    django.setup()
    write_doc(project_routes())
    sys.stdout.write(f"Wrote {len(MATRIX)} routes to {DOC}\n")
