"""Enums of the API; their values are the canonical offer's."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="How an offer is delivered.")
class Format(Enum):
    ONLINE = "ONLINE"
    PRESENCE = "PRESENCE"
    HYBRID = "HYBRID"


@strawberry.enum(description="Kind of learning unit in a learning path (Basis-, Intensiv-, Bonusmodul).")
class Kind(Enum):
    BASIS = "BASIS"
    INTENSIV = "INTENSIV"
    BONUS = "BONUS"


@strawberry.enum(description="ACTIVE offers are in the provider's current feed; RETIRED ones were dropped from it.")
class OfferStatus(Enum):
    ACTIVE = "ACTIVE"
    RETIRED = "RETIRED"


@strawberry.enum(description="Order of search results; ties always fall back to the offer id.")
class OfferSort(Enum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    START_ASC = "START_ASC"
    HOURS_ASC = "HOURS_ASC"
    DISTANCE = "DISTANCE"
