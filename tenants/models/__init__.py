"""Public-schema models: the region registry, counties (the tenants), identities and upper-tier roles."""

from .accounts import Account, RegionRole
from .counties import County, Domain
from .mandates import RegionMandate
from .regions import Prefecture, Province
from .spares import SpareSchema

__all__ = ["Account", "County", "Domain", "Prefecture", "Province", "RegionMandate", "RegionRole",
           "SpareSchema"]
