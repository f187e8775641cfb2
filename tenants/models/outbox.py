from django.db import models


class PendingOutbox(models.Model):
    """A county schema whose outbox may hold messages to deliver: set after a transaction that wrote
    messages commits, cleared by the delivery that empties the outbox. Beat's minute sweep reads these
    rows, so a sweep costs in proportion to the counties with work waiting, not to the number of counties.
    (notifications.services keeps the rows; the sweep is tenants.tasks.deliver_outboxes.)"""

    schema_name = models.CharField(max_length=63, primary_key=True)
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.schema_name
