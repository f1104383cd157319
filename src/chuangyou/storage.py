"""Where uploaded files live. Private files (children's data, evidence) have no URL: a view that checks
the reader's rights serves them."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files that only a rights-checking view may serve: kept under PRIVATE_MEDIA_ROOT, never MEDIA_URL."""

    @cached_property
    def base_location(self) -> str:
        return str(self._value_or_setting(getattr(self, "_location", None), settings.PRIVATE_MEDIA_ROOT))

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL; serve them through a view that checks rights")


def private_storage() -> PrivateStorage:
    """For FileField(storage=private_storage): a callable, so migrations don't freeze a location."""
    return PrivateStorage()
