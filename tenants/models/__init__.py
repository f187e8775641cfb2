"""Public-schema models: the region registry, counties (the tenants), identities and upper-tier roles."""

from .accounts import Account, RegionRole
from .audit import PlatformAuditArchive, PlatformAuditEntry
from .counties import County, Domain
from .escalations import (
    ESCALATION_LIVE,
    ESCALATION_TRANSITIONS,
    Escalation,
    EscalationAssignment,
    EscalationTransition,
    EscalationUpdate,
    RegionDeadline,
    RegionUnit,
)
from .mandates import RegionMandate
from .outbox import PendingOutbox
from .regions import Prefecture, Province
from .rollups import (
    COUNTY_TOTAL,
    HEADLINES,
    NO_TOWNSHIP,
    STATE_MONTH,
    CountyHeadline,
    RegionFact,
    RollupFact,
    RollupRun,
    headline_of,
)
from .spares import SpareSchema

__all__ = ["Account", "County", "Domain", "Escalation", "EscalationUpdate",
           "EscalationTransition", "EscalationAssignment", "RegionUnit", "RegionDeadline",
           "ESCALATION_TRANSITIONS", "ESCALATION_LIVE", "PlatformAuditArchive",
           "PlatformAuditEntry", "Prefecture", "Province", "RegionMandate", "RegionRole", "RollupFact", "RollupRun",
           "RegionFact", "CountyHeadline", "HEADLINES", "headline_of", "SpareSchema", "COUNTY_TOTAL", "NO_TOWNSHIP",
           "STATE_MONTH", "PendingOutbox"]
