"""People runs the background imports (organisation.services.jobs): a job needs its starter as an Actor,
which is built here (people.actors), in the lowest layer that knows both the memberships and deputies."""

from __future__ import annotations

from organisation.models import ImportJob
from organisation.services import jobs
from organisation.services.jobs import Progress
from organisation.services.workbook import OrganisationResult, organisation_import
from people.actors import actor_for
from people.services.roster import RosterResult, roster_import
from tenants.models import Account


def _organisation(job: ImportJob, progress: Progress) -> OrganisationResult:
    account = Account.objects.get(pk=job.created_by_id)
    return organisation_import(actor=actor_for(account), content=bytes(job.content), progress=progress)


def _roster(job: ImportJob, progress: Progress) -> RosterResult:
    """Mandates and stationings the file adds start on the day the job runs, as in the request."""
    account = Account.objects.get(pk=job.created_by_id)
    return roster_import(actor=actor_for(account), content=bytes(job.content), progress=progress)


def register() -> None:
    jobs.IMPORT_RUNNERS[ImportJob.Kind.ORGANISATION] = _organisation
    jobs.IMPORT_RUNNERS[ImportJob.Kind.ROSTER] = _roster
    jobs.IMPORT_ALLOWED[ImportJob.Kind.ROSTER] = lambda actor: actor.is_admin or actor.is_township_staff
