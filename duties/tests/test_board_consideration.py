"""The governing board page: what the board must do (by the term total), and recording its notice and decision.

Time is frozen at Wednesday 18/11/2026. Fifteen school days after 16/11/2026 is Monday 07/12/2026; after today,
Wednesday 09/12/2026. Fifty school days after 16/11/2026 is Monday 08/02/2027.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import client_for
from duties.board_services import (
    CANCELLED,
    CANNOT_REINSTATE,
    board_consideration_save,
)
from duties.models import BoardConsideration, Duty
from schools.access import capabilities
from schools.models import Role
from suspensions.models import Suspension
from suspensions.services import ALREADY_CONSIDERED, suspension_record
from testsupport.factories import MembershipFactory
from testsupport.suspensions import cancel, headteacher_of, reason_codes, record

NOVEMBER = date(2026, 11, 2)  # the Monday after half term


def url(suspension: Suspension) -> str:
    return reverse("duties:board", args=[suspension.pk])


def text(response) -> str:
    """The page as a user reads it: entities decoded, typographic apostrophes as plain ones."""
    return plain(response.content.decode())


def plain(markup: str) -> str:
    return html.unescape(markup).replace("\u2019", "'")


def page(user, suspension) -> str:
    response = client_for(user).get(url(suspension))
    assert response.status_code == 200
    return text(response)


def form_data(**overrides) -> dict[str, str]:
    data = {
        "notified_on": "16/11/2026",
        "representations_received_on": "",
        "considered_on": "",
        "attendees": "",
        "mode": "",
        "decision": "",
        "reinstatement_date": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def save(suspension: Suspension, **overrides):
    values = {
        "notified_on": date(2026, 11, 16),
        "representations_received_on": None,
        "considered_on": None,
        "attendees": "",
        "mode": "",
        "decision": "",
        "reinstatement_date": None,
        "notes": "",
        "recorded_by": headteacher_of(suspension.pupil),
    }
    values.update(overrides)
    return board_consideration_save(suspension=suspension, **values)


def exam_suspension(pupil, *, sessions: int = 2, exam: date = date(2026, 11, 26)) -> Suspension:
    head = headteacher_of(pupil)
    return suspension_record(
        pupil=pupil,
        kind=Suspension.Kind.SUSPENSION,
        start_date=NOVEMBER,
        sessions=sessions,
        reasons=reason_codes(("DB",), on=NOVEMBER),
        incident_summary="Fictional incident: left the exam hall during a mock examination.",
        decided_by=head,
        recorded_by=head,
        misses_public_exam=True,
        exam_date=exam,
    )


@pytest.fixture
def long_suspension(pupil):
    """16 days this term: the board must consider reinstatement."""
    return record(pupil, start=NOVEMBER, sessions=32)


@pytest.fixture
def short_suspension(pupil):
    """5 days this term: the board considers representations but cannot reinstate."""
    return record(pupil, start=NOVEMBER, sessions=10)


@pytest.fixture
def senior_leader(school):
    return MembershipFactory(school=school, role=Role.SENIOR_LEADER, user__username="senior").user


# Access


def test_the_headteacher_senior_leaders_and_office_staff_may_record_for_the_board():
    allowed = {role for role in Role if "record_board" in capabilities(role)}
    assert allowed == {Role.HEADTEACHER, Role.SENIOR_LEADER, Role.OFFICE}


@pytest.mark.parametrize("persona", ["headteacher", "senior_leader", "office"])
def test_staff_who_record_for_the_board_see_the_board_page(persona, request, short_suspension):
    assert "The governing board's consideration" in page(request.getfixturevalue(persona), short_suspension)


@pytest.mark.parametrize("persona", ["pastoral_lead", "senco", "teacher", "governor"])
def test_other_roles_may_not_open_the_board_page(persona, request, short_suspension):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(short_suspension)).status_code == 403
    assert client.post(url(short_suspension), form_data()).status_code == 403
    assert not BoardConsideration.objects.exists()


def test_another_schools_headteacher_gets_not_found(other_head, short_suspension):
    client = client_for(other_head)
    assert client.get(url(short_suspension)).status_code == 404
    assert client.post(url(short_suspension), form_data()).status_code == 404


def test_an_unknown_suspension_is_not_found(headteacher):
    assert client_for(headteacher).get(reverse("duties:board", args=[999999])).status_code == 404


# What the board must do, by the pupil's total in the term


def test_at_five_days_in_the_term_the_board_cannot_direct_reinstatement(headteacher, pupil):
    suspension = record(pupil, start=NOVEMBER, sessions=10)
    html_text = page(headteacher, suspension)
    assert (
        "Jordan's suspensions this term total 5 days (5 days or fewer): the board must consider any representations "
        "the parents make, but cannot direct reinstatement." in html_text
    )
    assert (
        "At 5 days or fewer in the term the board considers the parents' representations but cannot direct "
        "reinstatement." in html_text
    )


def test_at_five_and_a_half_days_the_board_must_consider_representations_within_50_school_days(headteacher, pupil):
    suspension = record(pupil, start=NOVEMBER, sessions=11)
    assert (
        "Jordan's suspensions this term total 5.5 days (6 to 15 days): if the parents make representations, the board "
        "must consider them within 50 school days of being notified: by Wednesday 10/02/2027 if it is notified today."
        in page(headteacher, suspension)
    )


def test_at_fifteen_days_the_board_still_considers_only_on_representations(headteacher, pupil):
    suspension = record(pupil, start=NOVEMBER, sessions=30)
    save(suspension)
    assert (
        "Jordan's suspensions this term total 15 days (6 to 15 days): if the parents make representations, the board "
        "must consider them within 50 school days of being notified: by Monday 08/02/2027."
        in page(headteacher, suspension)
    )


def test_at_fifteen_and_a_half_days_the_board_must_consider_reinstatement_within_15_school_days(headteacher, pupil):
    suspension = record(pupil, start=NOVEMBER, sessions=31)
    assert (
        "Jordan's suspensions this term total 15.5 days (over 15), so the board must consider reinstatement within "
        "15 school days of being notified: by Wednesday 09/12/2026 if it is notified today."
        in page(headteacher, suspension)
    )


def test_the_deadline_counts_from_the_recorded_notice(headteacher, long_suspension):
    save(long_suspension, notified_on=date(2026, 11, 16))
    assert (
        "Jordan's suspensions this term total 16 days (over 15), so the board must consider reinstatement within "
        "15 school days of being notified: by Monday 07/12/2026." in page(headteacher, long_suspension)
    )


def test_the_term_total_includes_the_pupils_other_suspensions_that_term(headteacher, pupil):
    record(pupil, start=date(2026, 9, 7), sessions=20)
    suspension = record(pupil, start=NOVEMBER, sessions=12)
    assert "Jordan's suspensions this term total 16 days (over 15)" in page(headteacher, suspension)


def test_a_missed_public_exam_means_the_board_must_consider_reinstatement_before_the_exam(headteacher, pupil):
    suspension = exam_suspension(pupil)
    html_text = page(headteacher, suspension)
    assert (
        "Jordan would miss a public examination or national curriculum test, so the board must consider "
        "reinstatement within 15 school days of being notified: by Wednesday 09/12/2026 if it is notified today. "
        "The exam is on 26/11/2026: where practicable, the board meets before it." in html_text
    )


def test_a_permanent_exclusion_means_the_board_must_consider_reinstatement(headteacher, pupil):
    exclusion = record(pupil, start=NOVEMBER, sessions=None, kind=Suspension.Kind.PERMANENT)
    assert (
        "This is a permanent exclusion, so the board must consider reinstatement within 15 school days of being "
        "notified: by Wednesday 09/12/2026 if it is notified today." in page(headteacher, exclusion)
    )


def test_a_suspension_in_an_earlier_term_names_its_term(headteacher, long_suspension, frozen_time):
    save(long_suspension, notified_on=date(2026, 11, 16), considered_on=date(2026, 11, 18), decision="upheld")
    frozen_time.move_to(datetime(2027, 1, 12, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    assert "Jordan's suspensions in the Autumn 2026 term total 16 days (over 15)" in page(headteacher, long_suspension)


def test_the_page_warns_when_the_deadline_has_passed_without_a_consideration(headteacher, pupil):
    suspension = record(pupil, start=date(2026, 9, 7), sessions=32)
    save(suspension, notified_on=date(2026, 9, 7))
    html_text = page(headteacher, suspension)
    assert "The deadline of Monday 28/09/2026 has passed and the board's consideration is not recorded." in html_text


# Recording the notice


def test_recording_the_notice_marks_the_governing_board_duty_done(headteacher, long_suspension):
    response = client_for(headteacher).post(url(long_suspension), form_data(notified_on="16/11/2026"), follow=True)
    assert (
        response.redirect_chain[-1][0] == reverse("suspensions:detail", args=[long_suspension.pk]) + "#governing-board"
    )
    assert (
        "The governing board's record is saved: notified on 16/11/2026. "
        "The board must consider it by Monday 07/12/2026." in text(response)
    )
    board = BoardConsideration.objects.get(suspension=long_suspension)
    assert (board.notified_on, board.considered_on, board.recorded_by) == (date(2026, 11, 16), None, headteacher)
    notice = Duty.objects.get(suspension=long_suspension, kind=Duty.Kind.GOVERNING_BOARD, about=Duty.About.SUSPENSION)
    assert (notice.status, notice.method, notice.done_by) == (Duty.Status.DONE, Duty.Method.OTHER, headteacher)
    assert notice.evidence == "Recorded on the board page: the governing board was notified on 16/11/2026."
    assert notice.done_at.date() == date(2026, 11, 16)
    consideration = Duty.objects.get(suspension=long_suspension, kind=Duty.Kind.BOARD_CONSIDERATION)
    assert consideration.status == Duty.Status.OPEN


def test_the_notice_date_defaults_to_today(headteacher, long_suspension):
    assert 'value="18/11/2026"' in page(headteacher, long_suspension)


def test_a_notice_in_the_future_is_refused(headteacher, long_suspension):
    response = client_for(headteacher).post(url(long_suspension), form_data(notified_on="19/11/2026"))
    assert response.status_code == 200
    assert "The date the board was notified must be today or in the past." in text(response)
    assert not BoardConsideration.objects.exists()


def test_a_missing_or_impossible_notice_date_keeps_what_was_typed_and_saves_nothing(headteacher, long_suspension):
    response = client_for(headteacher).post(
        url(long_suspension), form_data(notified_on="31/02/2026", attendees="Fictional: Mrs A Parent (mother)")
    )
    html_text = text(response)
    assert response.status_code == 200
    assert "There is a problem" in html_text
    assert "Enter a real date, as day/month/year, for example 27/11/2026." in html_text
    assert 'value="31/02/2026"' in html_text
    assert "Fictional: Mrs A Parent (mother)" in html_text
    assert not BoardConsideration.objects.exists()

    response = client_for(headteacher).post(url(long_suspension), form_data(notified_on=""))
    assert "Enter the date the governing board was notified, for example 17/11/2026." in text(response)


# Recording the board's consideration


def test_recording_the_consideration_keeps_the_decision_and_closes_the_boards_duty(headteacher, long_suspension):
    response = client_for(headteacher).post(
        url(long_suspension),
        form_data(
            considered_on="18/11/2026",
            attendees="Fictional: Dana Ashby (mother)\n\nMs Head (headteacher)\n",
            mode="remote",
            decision="upheld",
            notes="Fictional: the board found the facts proven on the balance of probabilities.",
        ),
        follow=True,
    )
    assert "The governing board's decision is recorded: Upheld the suspension. It stays on Jordan's record." in text(
        response
    )
    board = BoardConsideration.objects.get(suspension=long_suspension)
    assert (board.considered_on, board.mode, board.decision) == (date(2026, 11, 18), "remote", "upheld")
    assert board.attendees == "Fictional: Dana Ashby (mother)\nMs Head (headteacher)"
    duty = Duty.objects.get(suspension=long_suspension, kind=Duty.Kind.BOARD_CONSIDERATION)
    assert (duty.status, duty.method) == (Duty.Status.DONE, Duty.Method.MEETING)
    assert duty.evidence == (
        "Recorded on the board page: the governing board considered it on 18/11/2026, remote (video or phone). "
        "Decision: Upheld the suspension."
    )


def test_a_consideration_needs_a_decision(headteacher, long_suspension):
    response = client_for(headteacher).post(url(long_suspension), form_data(considered_on="17/11/2026"))
    assert response.status_code == 200
    assert "Choose the board's decision." in text(response)
    assert not BoardConsideration.objects.exists()


def test_a_decision_needs_the_date_the_board_considered_it(headteacher, long_suspension):
    response = client_for(headteacher).post(url(long_suspension), form_data(decision="upheld"))
    assert "Enter the date the board considered the suspension, for example 17/11/2026" in text(response)
    assert not BoardConsideration.objects.exists()


def test_who_attended_needs_the_date_the_board_considered_it(headteacher, long_suspension):
    response = client_for(headteacher).post(url(long_suspension), form_data(attendees="Fictional: Ms Head"))
    assert "who attended and how the board met are recorded with it" in text(response)
    assert not BoardConsideration.objects.exists()


def test_the_board_cannot_consider_before_it_was_notified(headteacher, long_suspension):
    response = client_for(headteacher).post(
        url(long_suspension), form_data(notified_on="17/11/2026", considered_on="16/11/2026", decision="upheld")
    )
    assert "The board cannot have considered the suspension before it was notified on 17/11/2026." in text(response)
    assert not BoardConsideration.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("considered_on", "The date the board considered the suspension must be today or in the past."),
        ("representations_received_on", "The date the parents made representations must be today or in the past."),
    ],
)
def test_dates_in_the_future_are_refused(field, message, headteacher, long_suspension):
    data = form_data(decision="upheld", considered_on="17/11/2026")
    data[field] = "19/11/2026"
    response = client_for(headteacher).post(url(long_suspension), data)
    assert message in text(response)
    assert not BoardConsideration.objects.exists()


def test_reinstatement_needs_its_date_and_is_kept_with_it(headteacher, long_suspension):
    client = client_for(headteacher)
    response = client.post(url(long_suspension), form_data(considered_on="18/11/2026", decision="reinstate"))
    assert "Enter the date Jordan is to be reinstated, for example 19/11/2026." in text(response)
    assert not BoardConsideration.objects.exists()

    client.post(
        url(long_suspension),
        form_data(considered_on="18/11/2026", decision="reinstate", reinstatement_date="19/11/2026"),
    )
    board = BoardConsideration.objects.get(suspension=long_suspension)
    assert (board.decision, board.reinstatement_date) == ("reinstate", date(2026, 11, 19))


def test_a_reinstatement_date_is_refused_unless_the_board_reinstated(headteacher, long_suspension):
    response = client_for(headteacher).post(
        url(long_suspension), form_data(considered_on="18/11/2026", decision="upheld", reinstatement_date="19/11/2026")
    )
    assert "Leave the reinstatement date empty unless the board directed reinstatement." in text(response)
    assert not BoardConsideration.objects.exists()


def test_reinstatement_is_refused_when_the_term_total_is_five_days_or_fewer(headteacher, short_suspension):
    response = client_for(headteacher).post(
        url(short_suspension),
        form_data(
            representations_received_on="17/11/2026",
            considered_on="18/11/2026",
            decision="reinstate",
            reinstatement_date="19/11/2026",
        ),
    )
    assert response.status_code == 200
    assert CANNOT_REINSTATE.format(name="Jordan", term="this term", days="5 days") in text(response)
    assert "The board cannot direct reinstatement: Jordan's suspensions this term total 5 days" in text(response)
    assert 'value="19/11/2026"' in text(response)
    assert not BoardConsideration.objects.exists()


def test_at_five_days_the_board_records_that_it_considered_the_representations(headteacher, short_suspension):
    client_for(headteacher).post(
        url(short_suspension),
        form_data(representations_received_on="17/11/2026", considered_on="18/11/2026", decision="noted"),
    )
    board = BoardConsideration.objects.get(suspension=short_suspension)
    assert board.decision == BoardConsideration.Decision.REPRESENTATIONS_NOTED


def test_where_the_board_can_reinstate_it_must_uphold_or_reinstate(headteacher, long_suspension):
    response = client_for(headteacher).post(
        url(long_suspension), form_data(considered_on="18/11/2026", decision="noted")
    )
    assert (
        "The board has the power to reinstate here (Jordan's suspensions this term total 16 days), so record "
        "whether it upheld the suspension or directed reinstatement." in text(response)
    )
    assert not BoardConsideration.objects.exists()


def test_between_six_and_fifteen_days_reinstatement_needs_the_parents_representations(headteacher, pupil):
    suspension = record(pupil, start=NOVEMBER, sessions=12)
    data = form_data(considered_on="18/11/2026", decision="reinstate", reinstatement_date="19/11/2026")
    response = client_for(headteacher).post(url(suspension), data)
    assert "The board can direct reinstatement here only if the parents made representations" in text(response)
    assert not BoardConsideration.objects.exists()

    client_for(headteacher).post(url(suspension), {**data, "representations_received_on": "17/11/2026"})
    assert BoardConsideration.objects.get(suspension=suspension).decision == "reinstate"
    duty = Duty.objects.get(suspension=suspension, kind=Duty.Kind.BOARD_REPRESENTATIONS)
    assert duty.status == Duty.Status.DONE


def test_a_recorded_consideration_cannot_be_removed(headteacher, long_suspension):
    save(long_suspension, considered_on=date(2026, 11, 17), decision="upheld")
    response = client_for(headteacher).post(url(long_suspension), form_data())
    assert "The board's consideration on 17/11/2026 is recorded and cannot be removed." in text(response)
    assert BoardConsideration.objects.get(suspension=long_suspension).considered_on == date(2026, 11, 17)


def test_the_page_shows_what_was_recorded_for_correction(headteacher, long_suspension):
    save(long_suspension, considered_on=date(2026, 11, 17), decision="upheld", attendees="Fictional: Ms Head")
    html_text = page(headteacher, long_suspension)
    assert 'value="17/11/2026"' in html_text
    assert "Fictional: Ms Head" in html_text
    assert "so it can no longer be cancelled" in html_text


# Cancellation and the board


def test_once_the_board_has_considered_the_suspension_it_can_no_longer_be_cancelled(headteacher, long_suspension):
    client = client_for(headteacher)
    client.post(url(long_suspension), form_data(considered_on="18/11/2026", decision="upheld"))
    response = client.post(
        reverse("suspensions:cancel", args=[long_suspension.pk]),
        {"reason": "Fictional: new evidence came to light."},
        follow=True,
    )
    assert ALREADY_CONSIDERED in text(response)
    long_suspension.refresh_from_db()
    assert long_suspension.status == Suspension.Status.CONFIRMED


def test_a_suspension_notified_to_the_board_but_not_yet_considered_can_still_be_cancelled(headteacher, long_suspension):
    client = client_for(headteacher)
    client.post(url(long_suspension), form_data())
    client.post(reverse("suspensions:cancel", args=[long_suspension.pk]), {"reason": "Fictional: new evidence."})
    long_suspension.refresh_from_db()
    assert long_suspension.status == Suspension.Status.CANCELLED


def test_nothing_can_be_recorded_for_a_cancelled_suspension(headteacher, long_suspension):
    cancel(long_suspension)
    html_text = page(headteacher, long_suspension)
    assert "so there is nothing for the board to consider" in html_text
    assert "Save the board's record" not in html_text

    response = client_for(headteacher).post(url(long_suspension), form_data())
    assert response.status_code == 200
    assert CANCELLED in text(response)
    assert not BoardConsideration.objects.exists()
    with pytest.raises(ValidationError):
        save(long_suspension)


# The board's part on the suspension page (templates/duties/_board_summary.html)


def summary(suspension: Suspension, *roles_can: str) -> str:
    suspension = Suspension.objects.get(pk=suspension.pk)
    return plain(render_to_string("duties/_board_summary.html", {"suspension": suspension, "can": set(roles_can)}))


def test_the_summary_shows_the_boards_deadline_before_it_is_notified(long_suspension):
    html_text = summary(long_suspension)
    assert "Not recorded yet" in html_text
    assert "Governing board to consider reinstatement" in html_text
    assert "By Wednesday 09/12/2026" in html_text
    assert "Not yet considered" in html_text
    assert reverse("duties:board", args=[long_suspension.pk]) not in html_text


def test_the_summary_shows_the_decision_and_links_to_the_board_page_for_those_who_record_it(long_suspension):
    save(long_suspension, considered_on=date(2026, 11, 18), decision="reinstate", reinstatement_date=date(2026, 11, 19))
    html_text = summary(long_suspension, "record_board", "view_suspension_detail")
    assert "Considered on 18/11/2026" in html_text
    assert "Directed reinstatement: reinstated from Thursday 19/11/2026" in html_text
    assert reverse("duties:board", args=[long_suspension.pk]) in html_text
    assert "Update the governing board's record" in html_text


def test_the_summary_shows_who_attended_only_to_staff_who_see_the_suspensions_detail(long_suspension):
    save(long_suspension, considered_on=date(2026, 11, 18), decision="upheld", attendees="Fictional: Dana Ashby")
    assert "Fictional: Dana Ashby" in summary(long_suspension, "view_suspension_detail")
    assert "Fictional: Dana Ashby" not in summary(long_suspension)


# The outcome on the pupil's record


def test_the_boards_outcome_stays_on_the_pupil_page(headteacher, teacher, long_suspension):
    save(long_suspension, considered_on=date(2026, 11, 18), decision="upheld", mode="in_person")
    for user in (headteacher, teacher):
        response = client_for(user).get(reverse("pupils:detail", args=[long_suspension.pupil.pk]))
        html_text = text(response)
        assert "The governing board's decisions" in html_text
        assert "18/11/2026, in person" in html_text
        assert "Upheld the suspension" in html_text
    head_page = text(client_for(headteacher).get(reverse("pupils:detail", args=[long_suspension.pupil.pk])))
    teacher_page = text(client_for(teacher).get(reverse("pupils:detail", args=[long_suspension.pupil.pk])))
    assert url(long_suspension) in head_page
    assert url(long_suspension) not in teacher_page
