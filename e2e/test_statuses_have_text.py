"""Colour is never the only carrier of meaning (WCAG 1.4.1): statuses, warnings and errors are written in words.

- Every status tag ("Overdue", "Active", "Met" ...) has words in it; the colour only repeats them.
- Every warning starts with a visually hidden "Warning" and says what it warns about; the "!" icon is hidden from
  screen readers.
- Every error message starts with a visually hidden "Error:", is tied to its field (aria-describedby, aria-invalid)
  and is listed in the error summary; the page title starts with "Error:".
- Links in running text are underlined, not told apart from the text by their colour alone.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from testsupport.records import build_school_records

# What a page tells with colour, and whether it also says it in words. Returns the problems found and the words of
# every status tag.
COLOUR_AND_WORDS = """() => {
  const problems = [];
  const words = (element) => (element.innerText || '').replace(/\\s+/g, ' ').trim();
  const tags = [...document.querySelectorAll('main .tag')];
  for (const tag of tags) {
    if (!/[A-Za-z]{2,}/.test(words(tag))) problems.push(`a status tag with no words: ${tag.outerHTML}`);
    if (tag.getBoundingClientRect().width === 0) problems.push(`a hidden status tag: ${tag.outerHTML}`);
  }
  for (const warning of document.querySelectorAll('main .warning-text')) {
    const hidden = warning.querySelector('.visually-hidden');
    if (!hidden || words(hidden) !== 'Warning') {
      problems.push(`a warning without a hidden "Warning": ${words(warning)}`);
    }
    const icon = warning.querySelector('.warning-text__icon');
    if (icon && icon.getAttribute('aria-hidden') !== 'true') problems.push('a warning icon read out by screen readers');
    const message = words(warning).replace(/^!?\\s*/, '');
    if (message.length < 10) problems.push(`a warning with no message: ${words(warning)}`);
  }
  for (const notice of document.querySelectorAll('main .notification')) {
    if (!words(notice)) problems.push('a notification with no words');
  }
  for (const link of document.querySelectorAll('main p a, main li a, main td a, main dd a')) {
    if (link.classList.contains('button') || link.closest('.error-summary')) continue;
    if (!getComputedStyle(link).textDecorationLine.includes('underline')) {
      problems.push(`a link told apart by colour alone: ${words(link)}`);
    }
  }
  return {problems, tags: tags.map(words)};
}"""

# How each error on a refused form is shown, besides the red.
ERRORS_IN_WORDS = """() => {
  const problems = [];
  const words = (element) => (element.innerText || element.textContent || '').replace(/\\s+/g, ' ').trim();
  const messages = [...document.querySelectorAll('main .error-message')];
  for (const message of messages) {
    const prefix = message.querySelector('.visually-hidden');
    if (!prefix || prefix.textContent.trim() !== 'Error:' || !message.textContent.trim().startsWith('Error:')) {
      problems.push(`an error message without the hidden "Error:" first: ${words(message)}`);
    }
  }
  for (const group of document.querySelectorAll('main .form-group--error')) {
    if (!group.querySelector('.error-message')) problems.push(`a field marked in red with no message: ${words(group)}`);
  }
  for (const field of document.querySelectorAll('main [aria-invalid="true"]')) {
    const described = (field.getAttribute('aria-describedby') || '').split(/\\s+/);
    if (!described.some((id) => id.endsWith('_error') && document.getElementById(id))) {
      problems.push(`an invalid field not tied to its message: ${field.name}`);
    }
  }
  const summary = document.querySelector('.error-summary');
  return {
    problems,
    messages: messages.length,
    summaryLinks: summary ? summary.querySelectorAll('a').length : 0,
    title: document.title,
  };
}"""


def assert_colour_is_never_alone(site: Any, where: str) -> list[str]:
    result = site.page.evaluate(COLOUR_AND_WORDS)
    assert result["problems"] == [], f"{where}: {result['problems']}"
    return result["tags"]


def test_every_status_on_the_pages_that_show_them_is_written_in_words(site, school, headteacher):
    records = build_school_records(school, headteacher)
    site.sign_in(headteacher)
    pages = {
        "the duties page": reverse("duties:list"),
        "the suspension's page": reverse("suspensions:detail", args=[records.suspension.pk]),
        "the plan": reverse("plans:detail", args=[records.plan.pk]),
        "the review": reverse("plans:review_detail", args=[records.review.pk]),
        "the calendar": reverse("schools:calendar"),
    }

    seen: set[str] = set()
    for where, path in pages.items():
        site.go(path)
        seen.update(tag.lower() for tag in assert_colour_is_never_alone(site, where))

    # The statuses these records are in, each seen in words somewhere.
    expected = {"to do", "active", "arranged", "improving", "done", "met", "confirmed", "starts later"}
    assert expected <= seen, f"Statuses not seen in words: {sorted(expected - seen)}; seen {sorted(seen)}"


def test_every_error_is_written_in_words_with_a_hidden_error_prefix_and_tied_to_its_field(site, school, headteacher):
    records = build_school_records(school, headteacher)
    site.sign_in(headteacher)
    forms = {
        "add a non-school day": (reverse("schools:non_school_day_add"), "Add the non-school day"),
        "record a suspension": (reverse("suspensions:record", args=[records.pupil.pk]), "Record the suspension"),
        "record a duty": (reverse("duties:complete", args=[records.duty.pk]), "Record as done"),
        "days at a previous school": (reverse("pupils:previous_school_add", args=[records.pupil.pk]), "Add the days"),
    }

    for where, (path, button) in forms.items():
        site.go(path)
        site.submit(button)
        result = site.page.evaluate(ERRORS_IN_WORDS)
        assert result["problems"] == [], f"{where}: {result['problems']}"
        assert result["messages"] >= 1, f"{where}: the form sent empty shows no error message"
        assert result["summaryLinks"] >= result["messages"], f"{where}: an error missing from the summary"
        assert result["title"].startswith("Error: "), f"{where}: the title does not say there is an error"


def test_the_school_settings_say_in_words_which_number_is_wrong(site, school, headteacher):
    site.sign_in(headteacher)
    site.go(reverse("schools:settings"))
    site.page.get_by_label("Alert after this many suspensions").fill("0")
    site.submit("Save the settings")

    result = site.page.evaluate(ERRORS_IN_WORDS)
    assert result["problems"] == []
    message = site.page.locator("main .error-message").first.inner_text()
    assert message.startswith("Error:")
    assert "from 1 to 20" in message
