"""Models of the cases app: the case core and the lawyers' help records."""

from cases.models.core import *  # noqa: F403
from cases.models.core import __all__ as _core
from cases.models.records import *  # noqa: F403
from cases.models.records import __all__ as _records

__all__ = [*_core, *_records]
