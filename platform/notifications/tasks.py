from celery import shared_task

from .services import messages_deliver


@shared_task(name="notifications.tasks.deliver_pending", ignore_result=True)
def deliver_pending() -> int:
    """Deliver this county's pending messages. Idempotent: what is already sent is never picked again;
    beat runs it per county every minute too, so nothing waits for a lost publish."""
    return messages_deliver()
