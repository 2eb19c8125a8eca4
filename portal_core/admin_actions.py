"""Admin actions that hand each selected object to a domain function, one at a time.

A domain function refuses a move that makes no sense with a ValidationError in Thai; an action
over many objects reports each refusal with the object's name and counts the rest, so the
central team sees what was done and what was not, and nothing is changed behind the workflow.
"""

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError


def apply_each(
    modeladmin,
    request,
    objects: Iterable,
    change: Callable[..., object],
    *,
    name: Callable[[object], str],
    done: str,
) -> int:
    """Call ``change(obj, by=request.user)`` for each object; a refusal becomes a warning
    "<name>: <reason>", and the number changed a success message "<done> N รายการ"."""
    changed = 0
    for obj in objects:
        try:
            change(obj, by=request.user)
        except ValidationError as exc:
            modeladmin.message_user(
                request, f"{name(obj)}: " + " ".join(exc.messages), messages.WARNING
            )
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"{done} {changed} รายการ", messages.SUCCESS)
    return changed
