"""The domain error every service raises, and the one shape errors take."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ErrorItem:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


class DomainError(Exception):
    """A rule of the domain refused a change. Nothing was saved.

    ``items`` name the field, a stable code and a translated message each; pages
    show them next to the field and the API returns them as ``{"errors": [...]}``.
    """

    def __init__(self, *items: ErrorItem):
        super().__init__("; ".join(f"{i.field}: {i.message}" for i in items))
        self.items = list(items)

    @classmethod
    def single(cls, field: str, code: str, message: str) -> DomainError:
        return cls(ErrorItem(field=field, code=code, message=message))


class StateHasChanged(DomainError):
    """The object changed since the user saw it; the change was not applied."""


class Conflict(DomainError):
    """The request contradicts what is stored (e.g. a different body for a known
    reference). ``extra`` is merged into the error response (the existing id)."""

    def __init__(self, *items: ErrorItem, extra: dict | None = None):
        super().__init__(*items)
        self.extra = extra or {}
