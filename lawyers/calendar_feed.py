"""A lawyer's private iCalendar feed of their shifts, for their phone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lawyers.models import Lawyer, Shift, new_calendar_token
from lawyers.rosters import shift_window


def lawyer_calendar(*, lawyer: Lawyer) -> bytes:
    """The feed in the lawyer's language, whatever language the calendar app asks in."""
    with translation.override(lawyer.user.language):
        return _lawyer_calendar(lawyer)


def _lawyer_calendar(lawyer: Lawyer) -> bytes:
    today = timezone.localdate()
    shifts = Shift.objects.filter(
        lawyer=lawyer, date__gte=today - timedelta(days=30), date__lte=today + timedelta(days=120)
    ).select_related("workstation")
    feed = Calendar()
    feed.add("prodid", "-//DutyLaw//duty shifts//ZH")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", _("Duty shifts"))
    for shift in shifts:
        start, end = shift_window(shift)
        event = Event()
        event.add("uid", f"shift-{shift.pk}@dutylaw")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add(
            "summary",
            _("On duty: %(place)s (%(slot)s)")
            % {"place": shift.workstation.name, "slot": shift.get_slot_display()},
        )
        event.add("location", shift.workstation.name)
        feed.add_component(event)
    return feed.to_ical()


def calendar_token_reset(*, lawyer: Lawyer) -> str:
    lawyer.calendar_token = new_calendar_token()
    lawyer.save(update_fields=["calendar_token", "updated_at"])
    return lawyer.calendar_token
