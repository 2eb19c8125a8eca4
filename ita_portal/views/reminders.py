"""Each user's switch for the weekly reminder e-mail (ita_portal.reminders)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ita_portal.models import ReminderPreference
from ita_portal.reminders import set_weekly_digest
from measures.reminders import REMINDER_DAYS


class ReminderForm(forms.Form):
    weekly_digest = forms.BooleanField(label="รับอีเมลสรุปงานประจำสัปดาห์", required=False)


@login_required
def reminder_settings(request):
    """Show and change whether the user gets the weekly reminder (on unless turned off)."""
    preference = ReminderPreference.objects.filter(user=request.user).first()
    enabled = preference.weekly_digest if preference else True
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            enabled = form.cleaned_data["weekly_digest"]
            set_weekly_digest(user=request.user, enabled=enabled)
            messages.success(
                request,
                "เปิดรับอีเมลสรุปประจำสัปดาห์แล้ว" if enabled else "ปิดอีเมลสรุปประจำสัปดาห์แล้ว",
            )
            return redirect("staff:reminders")
    else:
        form = ReminderForm(initial={"weekly_digest": enabled})
    return render(
        request,
        "portal/reminder_settings.html",
        {"form": form, "enabled": enabled, "days": REMINDER_DAYS},
    )
