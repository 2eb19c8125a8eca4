"""The token that changes whenever what the public site shows is published or withdrawn."""

import secrets

from django.db import models
from django.utils import timezone


class PublicationVersion(models.Model):
    """One row whose ``token`` changes (to a new random value) with every publication change.

    assessments.publishing and measures.memo_workflow change it inside the transaction that
    publishes or withdraws something, through :meth:`bump`. The portal folds the token into the
    cache keys of its public pages (ita_portal.cache), so every worker and app server stops
    serving the old pages at the commit, without sharing memory. A random token rather than a
    counter: a database that is reset or restored never meets pages cached for an old one.
    """

    SINGLETON = 1

    token = models.CharField("รหัสรุ่นข้อมูลที่เผยแพร่", max_length=32)
    changed_at = models.DateTimeField("เปลี่ยนแปลงเมื่อ")

    class Meta:
        verbose_name = "รุ่นข้อมูลที่เผยแพร่"
        verbose_name_plural = "รุ่นข้อมูลที่เผยแพร่"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"รุ่นข้อมูลที่เผยแพร่ {self.token}"

    @staticmethod
    def _new_values() -> dict:
        return {"token": secrets.token_hex(16), "changed_at": timezone.now()}

    @classmethod
    def current(cls) -> str:
        """The token now (one query; the row is created on first use)."""
        token = cls.objects.filter(pk=cls.SINGLETON).values_list("token", flat=True).first()
        if token is None:
            row, _ = cls.objects.get_or_create(pk=cls.SINGLETON, defaults=cls._new_values())
            token = row.token
        return token

    @classmethod
    def bump(cls) -> str:
        """Give the public site a new token; call inside the transaction that publishes."""
        values = cls._new_values()
        if not cls.objects.filter(pk=cls.SINGLETON).update(**values):
            cls.objects.update_or_create(pk=cls.SINGLETON, defaults=values)
        return values["token"]
