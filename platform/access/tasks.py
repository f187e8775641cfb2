from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="access.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> int:
    """Sessions live in each county's schema; this runs per county (fanned out by beat)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
