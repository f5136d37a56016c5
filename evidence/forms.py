"""The register check's dates."""

from __future__ import annotations

from datetime import date

from reintegrate.forms import Form, UKDateField


class PeriodForm(Form):
    start = UKDateField(label="From", required=False)
    end = UKDateField(label="To", required=False)

    def period(self, *, default_start: date, default_end: date) -> tuple[date, date]:
        """The dates chosen, or the defaults; a reversed period is put the right way round."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        return (start, end) if start <= end else (end, start)
