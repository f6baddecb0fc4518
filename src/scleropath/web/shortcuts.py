"""Small helpers every page uses: a full page or, for htmx, the named fragment of the same template."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scleropath.accounts.models import User
from scleropath.core.models import RecordError


def page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``; an htmx request naming ``fragment`` gets only that partial."""
    name = f"{template}#{fragment}" if fragment and getattr(request, "htmx", False) else template
    return render(request, name, context, status=status)


def add_service_errors(form: BaseForm, exc: ValidationError | RecordError) -> None:
    """Put a service's refusal on the form: field errors next to their fields, the rest on top."""
    if isinstance(exc, RecordError):
        form.add_error(None, str(exc))
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for err in errors:
                form.add_error(target, err.messages[0] if target is None else err)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def staff(request: HttpRequest) -> User:
    """The signed-in member of staff (views are wrapped in login_required)."""
    user = request.user
    assert isinstance(user, User)
    return user


def refusal_text(exc: ValidationError | RecordError) -> str:
    """A service's refusal as one line for a message."""
    return "; ".join(getattr(exc, "messages", None) or [str(exc)])
