"""Models of the lawyers app: people, places and duty rosters."""

from lawyers.models.core import *  # noqa: F403
from lawyers.models.core import __all__ as _core
from lawyers.models.rosters import *  # noqa: F403
from lawyers.models.rosters import __all__ as _rosters

__all__ = [*_core, *_rosters]
