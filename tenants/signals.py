from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .middleware import forget_hosts
from .models import County, Domain


@receiver([post_save, post_delete], sender=County)
@receiver([post_save, post_delete], sender=Domain)
def _county_or_domain_changed(**kwargs) -> None:
    forget_hosts()
