"""What a county knows about its deputies: profiles, county and township mandates, stationing,
deputy groups and pairing. Province and prefecture mandates live with their region (public schema)."""

from .deputies import Deputy, Mandate
from .groups import DeputyGroup, GroupMember, Stationing
from .pairing import Pairing, PairingRule

__all__ = ["Deputy", "DeputyGroup", "GroupMember", "Mandate", "Pairing", "PairingRule", "Stationing"]
