"""The charge catalogue in force on a day, and the detention centres, from the cache.

Every notice resolves its charges against the catalogue, which changes a few
times a year (the Criminal Law's amendments, an office entering tiers). Each
code's entry for a day is kept in Django's cache (Redis, shared by every web and
worker process) under a version token; saving or deleting an offence or a tier
(or a detention centre) replaces the token, so every process reads the new
catalogue from its next request on. A bulk change that sends no signals
(a data migration, ``QuerySet.update``) calls ``catalogue_changed()``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from cases.models import Offence, OffenceTier
from lawyers.models import DetentionCentre

VERSION_KEY = "catalogue:version"
# An entry is read again after an hour at the latest: the bound on staleness
# should Redis have been unreachable when a change replaced the version.
TIMEOUT = 3600

Catalogue = dict[str, dict[int, OffenceTier]]  # code -> tier number -> tier


def offences_in_force(on: date | None = None):
    """Each code's version in force on ``on`` (today by default), with its tiers."""
    on = on or timezone.localdate()
    return (
        Offence.objects.filter(effective_from__lte=on)
        .order_by("code", "-effective_from")
        .distinct("code")
        .prefetch_related(Prefetch("tiers", OffenceTier.objects.order_by("tier")))
    )


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def _tiers_of(offence: Offence) -> dict[int, OffenceTier]:
    tiers = {}
    for tier in offence.tiers.all():
        tier.offence = offence
        tiers[tier.tier] = tier
    return tiers


def catalogue_in_force(codes: Iterable[str], on: date | None = None) -> Catalogue:
    """Code -> {tier number: tier} of each of ``codes`` (what a notice charges)
    in the version in force on ``on`` (today by default); a code whose version
    in force has no tiers yet maps to ``{}``, an unknown code is absent. Each
    code is cached on its own, so a notice reads a few small entries."""
    on = on or timezone.localdate()
    version = _version()
    keys = {
        code: f"catalogue:{version}:{on.isoformat()}:{hashlib.sha256(code.encode()).hexdigest()}"
        for code in set(codes)
    }
    found = cache.get_many(list(keys.values()))
    catalogue = {code: found[key] for code, key in keys.items() if key in found}
    missing = [code for code in keys if code not in catalogue]
    if missing:
        read = {o.code: _tiers_of(o) for o in offences_in_force(on).filter(code__in=missing)}
        cache.set_many({keys[code]: tiers for code, tiers in read.items()}, TIMEOUT)
        catalogue.update(read)
    return catalogue


def facility_by_code(code: str) -> DetentionCentre | None:
    """The detention centre with this code, cached like the catalogue."""
    key = f"facility:{_version()}:{hashlib.sha256(code.encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = DetentionCentre.objects.filter(code=code).first()
        if found is not None:
            cache.set(key, found, TIMEOUT)
    return found


def catalogue_changed() -> None:
    """Make every process read the catalogue afresh: now, and again once the
    change commits (another process may have cached the old one in between)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


@receiver([post_save, post_delete], sender=Offence)
@receiver([post_save, post_delete], sender=OffenceTier)
@receiver([post_save, post_delete], sender=DetentionCentre)
def _catalogue_saved(sender, **kwargs) -> None:
    catalogue_changed()
