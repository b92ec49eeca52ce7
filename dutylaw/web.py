"""Showing a service's DomainError to a person: next to the form fields it
names, or as messages when there is no form."""

from __future__ import annotations

from django.contrib import messages

from dutylaw.errors import DomainError


def add_domain_errors(form, error: DomainError, aliases: dict | None = None) -> None:
    """Put each problem under the field it names (``aliases`` maps service
    field names to form field names); the rest go to the form as a whole."""
    aliases = aliases or {}
    for item in error.items:
        name = aliases.get(item.field, item.field)
        form.add_error(name if name in form.fields else None, item.message)


def domain_errors_to_messages(request, error: DomainError) -> None:
    for item in error.items:
        messages.error(request, item.message)
