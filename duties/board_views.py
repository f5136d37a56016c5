"""The governing board page: what the board must do about a suspension, and what it did."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.access import record_access
from duties.board_forms import BoardConsiderationForm
from duties.board_services import BoardRequirement, board_consideration_save, board_requirement
from duties.models import BoardConsideration
from schools.access import Can, get_for
from suspensions.models import Suspension

SAVED_NOTICE = "The governing board's record is saved: notified on {day}."
SAVED_DEADLINE = " The board must consider it by {deadline}."
DECISION_HINT = "The board upholds the decision or directs reinstatement, at once or from a date."
DECISION_HINT_NO_POWER = (
    "At 5 days or fewer in the term the board considers the parents' representations but cannot direct reinstatement."
)
SAVED_DECISION = "The governing board's decision is recorded: {decision}. It stays on {name}'s record."


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "LoginRequiredMiddleware lets only signed-in staff through."
    return user


@require_http_methods(["GET", "POST"])
def board_consideration_view(request: HttpRequest, suspension_pk: int) -> HttpResponse:
    suspension, _access = get_for(
        request,
        Suspension.objects.select_related("pupil", "pupil__school", "cancelled_by"),
        Can.RECORD_BOARD,
        pk=suspension_pk,
    )
    today = timezone.localdate()
    board = BoardConsideration.objects.filter(suspension=suspension).first()
    requirement = board_requirement(suspension, notified_on=board.notified_on if board else None, today=today)
    if request.method == "POST":
        form = BoardConsiderationForm(request.POST, can_reinstate=requirement.can_reinstate)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = board_consideration_save(
                    suspension=suspension,
                    notified_on=data["notified_on"],
                    representations_received_on=data["representations_received_on"],
                    considered_on=data["considered_on"],
                    attendees=data["attendees"],
                    mode=data["mode"],
                    decision=data["decision"],
                    reinstatement_date=data["reinstatement_date"],
                    notes=data["notes"],
                    recorded_by=_staff_user(request),
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                messages.success(request, _saved_message(saved, suspension, today=today))
                return redirect(reverse("suspensions:detail", args=[suspension.pk]) + "#governing-board")
    else:
        record_access(request, suspension, what="governing board page")
        form = BoardConsiderationForm(
            initial=BoardConsiderationForm.initial_from(board, notified_on_default=today),
            can_reinstate=requirement.can_reinstate,
        )
    return render(
        request,
        "duties/board_form.html",
        {
            "nav": "pupils",
            "suspension": suspension,
            "pupil": suspension.pupil,
            "board": board,
            "requirement": requirement,
            "overdue": _overdue(board, requirement, today=today),
            "show_form": not suspension.is_cancelled or bool(form.errors),
            "form": form,
        },
    )


def _saved_message(board: BoardConsideration, suspension: Suspension, *, today: date) -> str:
    if board.has_considered:
        return SAVED_DECISION.format(decision=board.get_decision_display(), name=suspension.pupil.first_name)
    message = SAVED_NOTICE.format(day=f"{board.notified_on:%d/%m/%Y}")
    requirement = board_requirement(suspension, notified_on=board.notified_on, today=today)
    if requirement.deadline is not None and (
        requirement.must_consider or board.representations_received_on is not None
    ):
        message += SAVED_DEADLINE.format(deadline=f"{requirement.deadline:%A %d/%m/%Y}")
    return message


def _overdue(board: BoardConsideration | None, requirement: BoardRequirement, *, today: date) -> bool:
    """The board's deadline has passed and its consideration is not recorded (only where it has to consider)."""
    if board is None or board.has_considered or requirement.deadline is None:
        return False
    must = requirement.must_consider or board.representations_received_on is not None
    return must and requirement.deadline < today
