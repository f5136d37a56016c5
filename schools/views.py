"""The school calendar (terms, non-school days, school years), the school settings, and choosing the school."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from reintegrate import statutory
from schools import selectors, services
from schools.access import (
    SESSION_SCHOOL_KEY,
    Can,
    SchoolRole,
    access_to_school,
    current_access,
    get_for,
    require,
    user_memberships,
)
from schools.forms import AcademicYearForm, NonSchoolDayForm, SchoolSettingsForm, SwitchSchoolForm, TermForm
from schools.models import NonSchoolDay, Term

ACADEMIC_YEAR_RESUBMIT = "The page was out of date. Check which school year to add and try again."


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """Each school year's terms, with their school days, and its non-school days."""
    access = require(request, Can.MANAGE_CALENDAR)
    school = access.school
    return render(
        request,
        "schools/calendar.html",
        {
            "nav": "calendar",
            "years": selectors.calendar_overview(school),
            "next_year_label": _year_label(selectors.next_academic_year_start(school, timezone.localdate())),
        },
    )


@require_http_methods(["GET", "POST"])
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    term, _access = get_for(
        request,
        Term.objects.select_related("academic_year", "academic_year__school"),
        Can.MANAGE_CALENDAR,
        school_field="academic_year__school",
        pk=pk,
    )
    if request.method == "POST":
        form = TermForm(request.POST)
        if form.is_valid():
            try:
                services.term_update(
                    term=term, start_date=form.cleaned_data["start_date"], end_date=form.cleaned_data["end_date"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                form.mark_errors()
            else:
                messages.success(
                    request,
                    f"The {term.label} term now runs from {term.start_date:%d/%m/%Y} to {term.end_date:%d/%m/%Y}.",
                )
                return redirect("schools:calendar")
    else:
        form = TermForm(initial={"start_date": term.start_date, "end_date": term.end_date})
    return render(request, "schools/term_form.html", {"nav": "calendar", "form": form, "term": term})


@require_http_methods(["GET", "POST"])
def non_school_day_add(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.MANAGE_CALENDAR)
    if request.method == "POST":
        form = NonSchoolDayForm(request.POST)
        if form.is_valid():
            try:
                day = services.non_school_day_create(
                    school=access.school,
                    start_date=form.cleaned_data["start_date"],
                    end_date=form.cleaned_data["end_date"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                form.mark_errors()
            else:
                messages.success(request, f"Non-school day added: {_dates(day)} ({day.get_kind_display()}).")
                return redirect("schools:calendar")
    else:
        form = NonSchoolDayForm()
    return render(request, "schools/non_school_day_form.html", {"nav": "calendar", "form": form})


@require_http_methods(["GET", "POST"])
def non_school_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day, _access = get_for(request, NonSchoolDay.objects.select_related("school"), Can.MANAGE_CALENDAR, pk=pk)
    if request.method == "POST":
        label = f"{_dates(day)} ({day.get_kind_display()})"
        services.non_school_day_delete(non_school_day=day)
        messages.success(request, f"Non-school day deleted: {label}.")
        return redirect("schools:calendar")
    return render(request, "schools/non_school_day_delete.html", {"nav": "calendar", "day": day})


@require_http_methods(["GET", "POST"])
def academic_year_add(request: HttpRequest) -> HttpResponse:
    access = require(request, Can.MANAGE_CALENDAR)
    start_year = selectors.next_academic_year_start(access.school, timezone.localdate())
    if request.method == "POST":
        form = AcademicYearForm(request.POST)
        if form.is_valid():
            try:
                year = services.academic_year_add(school=access.school, start_year=form.cleaned_data["start_year"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"The school year {year.label} is in the calendar, with the usual term dates and bank holidays. "
                    "Check them against your school's published dates.",
                )
                return redirect("schools:calendar")
        else:
            # Only a tampered or stale page gets here: offer the year we would add now, with a message.
            form = AcademicYearForm(data={"start_year": start_year})
            form.is_valid()
            form.add_error(None, ACADEMIC_YEAR_RESUBMIT)
    else:
        form = AcademicYearForm(initial={"start_year": start_year})
    return render(
        request,
        "schools/academic_year_form.html",
        {"nav": "calendar", "form": form, "year_label": _year_label(start_year)},
    )


@require_http_methods(["GET", "POST"])
def school_settings(request: HttpRequest) -> HttpResponse:
    """The school's own settings: the repeated-suspensions alert thresholds (local practice, not statutory)."""
    access = require(request, Can.MANAGE_SETTINGS)
    school = access.school
    if request.method == "POST":
        form = SchoolSettingsForm(request.POST, instance=school)
        if form.is_valid():
            form.save()
            days = statutory.format_days(statutory.days_to_sessions(school.repeat_alert_days))
            messages.success(
                request,
                f"Settings saved. Reintegrate will alert you when a pupil has had {school.repeat_alert_suspensions} "
                f"suspension{'' if school.repeat_alert_suspensions == 1 else 's'} or {days} "
                f"day{'' if days == '1' else 's'} of suspension in the last three terms.",
            )
            return redirect("schools:settings")
        school.refresh_from_db()  # a failed ModelForm leaves its values on the instance; show the saved ones
    else:
        form = SchoolSettingsForm(instance=school)
    return render(request, "schools/settings.html", {"nav": "settings", "form": form, "school": school})


@require_http_methods(["GET", "POST"])
def switch(request: HttpRequest) -> HttpResponse:
    """Choose the school to work in, for staff with roles at several schools or a role across a trust."""
    access = current_access(request)
    if access is None:
        raise PermissionDenied("You do not hold a role at any school. Ask your school's administrator for access.")
    roles = user_memberships(request)
    if request.method == "POST":
        chosen = request.POST.get("school", "").strip()
        if chosen:
            try:
                school_id = int(chosen)
            except ValueError:
                raise Http404("No such school.") from None
            access_to_school(request, school_id)  # 404 where the user holds no role, directly or through a trust
        form = _switch_form(roles, request.POST)
        if form.is_valid():
            chosen_access = access_to_school(request, int(form.cleaned_data["school"]))
            request.session[SESSION_SCHOOL_KEY] = chosen_access.school.pk
            messages.success(request, f"You are now working in {chosen_access.school.name}.")
            return redirect("dashboard:home")
    else:
        form = _switch_form(roles, initial={"school": str(access.school.pk)})
    return render(request, "schools/switch.html", {"form": form})


def _switch_form(roles: list[SchoolRole], *args: Any, **kwargs: Any) -> SwitchSchoolForm:
    """The form offering every school the user may work in, with their role there (their own or their trust's)."""
    form = SwitchSchoolForm(*args, memberships=[], **kwargs)
    field = form.fields["school"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [(str(role.school_id), f"{role.school.name} ({role.role_label})") for role in roles]
    return form


def _year_label(start_year: int) -> str:
    return statutory.academic_year_label(date(start_year, 9, 1))


def _dates(day: NonSchoolDay) -> str:
    if day.end_date == day.start_date:
        return f"{day.start_date:%d/%m/%Y}"
    return f"{day.start_date:%d/%m/%Y} to {day.end_date:%d/%m/%Y}"
