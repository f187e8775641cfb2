"""Serializers, one module per bounded context."""

from .accounts import AccountSerializer, CountySerializer, MembershipSerializer, MeSerializer, RegionRoleSerializer

__all__ = ["AccountSerializer", "CountySerializer", "MeSerializer", "MembershipSerializer", "RegionRoleSerializer"]
