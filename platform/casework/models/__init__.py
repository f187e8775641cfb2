"""Casework: what constituents raise (opinions), the cases they make, routing by jurisdiction, deputy
suggestions with their handling units, deadlines and ratings."""

from .cases import Case, CaseStatus, CaseTransition, Jurisdiction, Rating, Route, RoutingRule
from .intake import Channel, Opinion, OpinionAttachment, OpinionCategory
from .rules import CaseworkRule
from .suggestions import (
    ExtensionRequest,
    Outcome,
    Suggestion,
    SuggestionAnswer,
    SuggestionAssignment,
    SuggestionGroupObjectPermission,
    SuggestionRating,
    SuggestionStatus,
    SuggestionTransition,
    SupervisionCard,
)

__all__ = [
    "Case", "CaseStatus", "CaseTransition", "CaseworkRule", "Channel", "ExtensionRequest", "Jurisdiction", "Opinion",
    "OpinionAttachment", "OpinionCategory", "Outcome", "Rating", "Route", "RoutingRule", "Suggestion",
    "SuggestionAnswer",
    "SuggestionAssignment", "SuggestionGroupObjectPermission", "SuggestionRating", "SuggestionStatus",
    "SuggestionTransition", "SupervisionCard",
]
