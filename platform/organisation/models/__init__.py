"""The county's organisation: townships and villages (with re-division history, and re-divisions scheduled
ahead), venues (homes and stations), station standards and assessments, construction funds, handling units."""

from .jobs import ImportJob
from .places import Redivision, RedivisionLink, RedivisionMove, RedivisionVillageLink, Township, Village
from .scheduled import ScheduledRedivision
from .standards import Assessment, AssessmentItem, StandardItem, StandardTemplate
from .units import HandlingUnit
from .venues import ConstructionFunding, Venue, VenuePhoto

__all__ = [
    "Assessment", "AssessmentItem", "ConstructionFunding", "HandlingUnit", "ImportJob", "Redivision", "RedivisionLink",
    "RedivisionMove", "RedivisionVillageLink", "ScheduledRedivision", "StandardItem", "StandardTemplate", "Township",
    "Venue", "VenuePhoto", "Village",
]
