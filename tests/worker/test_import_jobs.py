"""A background import runs in a real worker, in the county it was sent from (issue 15)."""

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from core.tasks import enqueue_on_commit
from core.xlsx import sheets_to_xlsx
from organisation.models import ImportJob, Township
from organisation.services.workbook.columns import TOWNSHIPS
from tests.worker.conftest import wait_for

pytestmark = pytest.mark.worker


def test_a_queued_job_is_run_by_the_worker_in_its_county(celery_worker, world, committed):
    # A township coded for Beta (990102) in Alpha's workbook: refused, so nothing is written or audited.
    content = sheets_to_xlsx([(str(TOWNSHIPS.title), TOWNSHIPS.headers, [["990102300", "南街道", "街道", ""]])])
    with schema_context(world.alpha.schema_name):
        with transaction.atomic():
            job = ImportJob.objects.create(kind=ImportJob.Kind.ORGANISATION, content=content,
                                           filename="组织架构.xlsx", created_by_id=world.admin_a.pk)
            enqueue_on_commit("organisation.tasks.import_job_run", job.pk)
    try:
        def finished() -> bool:
            with schema_context(world.alpha.schema_name):
                return ImportJob.objects.get(pk=job.pk).is_finished

        wait_for(finished, message="the import job to finish")
        with schema_context(world.alpha.schema_name):
            done = ImportJob.objects.get(pk=job.pk)
            assert done.status == ImportJob.Status.REFUSED and bytes(done.content) == b""
            assert done.result["errors"][0]["messages"] == ["乡镇代码应以本县（市、区）区划代码990101开头"]
            assert not Township.objects.filter(name="南街道").exists()
    finally:
        with schema_context(world.alpha.schema_name):
            ImportJob.objects.filter(pk=job.pk).delete()
