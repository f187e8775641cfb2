from .attendance import AbsenceRule, AbsenceStep, AttendanceNotice, AttendanceNoticeJob
from .sessions import Attendance, ReceptionIssue, ReceptionRecord, ReceptionSchedule, ReceptionSession, RotaEntry

__all__ = [
    "AbsenceRule", "AbsenceStep", "Attendance", "AttendanceNotice", "AttendanceNoticeJob", "ReceptionIssue",
    "ReceptionRecord", "ReceptionSchedule", "ReceptionSession", "RotaEntry",
]
