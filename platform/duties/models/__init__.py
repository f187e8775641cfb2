"""Deputies' duties (履职): duty records with photos and their confirmation, the county's duty rules
(three-ones rule, evaluation weights), training events and their attendance."""

from .records import DutyKind, DutyPhoto, DutyRecord, DutyTransition
from .rules import DutyRule
from .training import TrainingAttendance, TrainingEvent

__all__ = ["DutyKind", "DutyPhoto", "DutyRecord", "DutyRule", "DutyTransition", "TrainingAttendance",
           "TrainingEvent"]
