"""Organisation units (BMA → agency or district office → division) and who belongs to them."""

from django.conf import settings
from django.db import models

from assessments.models.fields import score_field


class OrgUnitQuerySet(models.QuerySet):
    def agencies(self):
        """Units that are assessed: district offices and other agencies, not divisions."""
        return self.filter(kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.AGENCY])

    def districts(self):
        return self.filter(kind=OrgUnit.Kind.DISTRICT)

    def divisions_of(self, unit: "OrgUnit"):
        return self.filter(parent=unit, kind=OrgUnit.Kind.DIVISION)

    def reached_by(self, user, roles: list[str] | None):
        """Units a user's memberships reach: the member unit and every unit below it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        memberships = Membership.objects.filter(user=user)
        if roles is not None:
            memberships = memberships.filter(role__in=roles)
        ids = memberships.values("unit_id")
        return self.filter(
            models.Q(pk__in=ids) | models.Q(parent__in=ids) | models.Q(parent__parent__in=ids)
        )

    def visible_to(self, user):
        """Units whose pages the user may read (any role)."""
        return self.reached_by(user, None)

    def editable_by(self, user):
        """Units whose data the user may change (unit staff and the central team)."""
        return self.reached_by(user, [Membership.Role.STAFF, Membership.Role.CENTRAL])


class OrgUnit(models.Model):
    """A BMA agency or one of its divisions (ฝ่าย), in a tree by ``parent``."""

    class Kind(models.TextChoices):
        BMA = "bma", "กรุงเทพมหานคร"
        AGENCY = "agency", "ส่วนราชการ/หน่วยงาน"
        DISTRICT = "district", "สำนักงานเขต"
        DIVISION = "division", "ฝ่าย/กลุ่มงาน"

    parent = models.ForeignKey(
        "self",
        verbose_name="สังกัด",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField("รหัสหน่วยงาน", max_length=60, unique=True)
    geocode = models.CharField("รหัสพื้นที่", max_length=10, blank=True)
    name = models.CharField("ชื่อหน่วยงาน", max_length=200)
    short_name = models.CharField("ชื่อย่อ", max_length=100, blank=True)
    kind = models.CharField("ประเภท", max_length=20, choices=Kind.choices)
    memo_prefix = models.CharField(
        "รหัสเลขที่หนังสือ", max_length=40, blank=True, help_text="เช่น กท ๕๖๐๑"
    )
    phone = models.CharField("โทรศัพท์ (หัวบันทึกข้อความ)", max_length=60, blank=True)
    order = models.PositiveIntegerField("ลำดับ", default=0)
    target_score = score_field(
        "คะแนนเป้าหมายของหน่วยงาน",
        null=True,
        blank=True,
        help_text="เว้นว่าง = ใช้คะแนนผ่านเกณฑ์ของเกณฑ์การประเมิน (๘๕); เป้าหมาย KPI ของ กทม. "
        "สำหรับสำนักงานเขตคือระดับ AA (๙๕)",
    )
    target_label = models.CharField(
        "ที่มาของคะแนนเป้าหมาย",
        max_length=200,
        blank=True,
        help_text="เช่น ตัวชี้วัด KPI กรุงเทพมหานคร: ระดับ AA (๙๕ คะแนน)",
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """Short name where one is set, as staff write it (เขตดุสิต)."""
        return self.short_name or self.name


class Membership(models.Model):
    """A user's role in a unit; it reaches the unit and every unit below it."""

    class Role(models.TextChoices):
        STAFF = "staff", "เจ้าหน้าที่หน่วยงาน"
        DIRECTOR = "director", "ผู้อำนวยการ/ผู้บริหาร"
        CENTRAL = "central", "ทีม ITA ส่วนกลาง"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ใช้",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("บทบาท", max_length=20, choices=Role.choices)
    position = models.CharField("ตำแหน่ง", max_length=200, blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "สมาชิกหน่วยงาน"
        verbose_name_plural = "สมาชิกหน่วยงาน"
        ordering = ["unit__order", "unit__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_one_role_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} {self.unit}"
