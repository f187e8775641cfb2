"""Writes of the casework context, one module per workflow; the names callers use are re-exported here
(the reception record calls casework.services.opinion_receive)."""

from .deadlines import deadline_scan
from .intake import case_merge, category_save, opinion_attach, opinion_receive, opinions_receive_batch
from .privacy import constituents_pseudonymise
from .public import Throttled, opinion_submit_online, verification_send
from .publication import case_publish
from .routing import (
    case_answer,
    case_close,
    case_rate_by_constituent,
    case_route,
    casework_rule_update,
    routing_rule_save,
)
from .suggestions import (
    extension_decide,
    extension_request,
    suggestion_answer,
    suggestion_assign,
    suggestion_close,
    suggestion_rate,
    suggestion_refuse,
    suggestion_register,
    suggestion_return,
    suggestion_submit,
    supervision_card_set,
)

__all__ = [
    "Throttled", "constituents_pseudonymise", "opinion_submit_online", "verification_send",
    "case_answer", "case_close", "case_publish", "case_merge", "case_rate_by_constituent", "case_route",
    "casework_rule_update",
    "category_save", "deadline_scan", "extension_decide", "extension_request", "opinion_attach", "opinion_receive",
    "opinions_receive_batch",
    "routing_rule_save", "suggestion_answer", "suggestion_assign", "suggestion_close", "suggestion_rate",
    "suggestion_refuse", "suggestion_register", "suggestion_return", "suggestion_submit", "supervision_card_set",
]
