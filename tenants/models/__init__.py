"""Public-schema models: the region registry, counties (the tenants), identities and upper-tier roles."""

from .accounts import Account, RegionRole
from .counties import County, Domain
from .escalations import Escalation, EscalationUpdate
from .mandates import RegionMandate
from .regions import Prefecture, Province
from .rollups import COUNTY_TOTAL, NO_TOWNSHIP, STATE_MONTH, RollupFact, RollupRun
from .spares import SpareSchema

__all__ = ["Account", "County", "Domain", "Escalation", "EscalationUpdate", "Prefecture", "Province", "RegionMandate",
           "RegionRole", "RollupFact", "RollupRun", "SpareSchema", "COUNTY_TOTAL", "NO_TOWNSHIP", "STATE_MONTH"]
