"""Template helpers for the analytics pages."""

from __future__ import annotations

from typing import Any

from django import template

from scleropath.accounts.permissions import Action, can

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]``, or an empty string when it is missing."""
    return mapping.get(key, "")


@register.filter
def may_view_analytics(user: Any) -> bool:
    """Whether to show ``user`` the link to the clinic's analytics (managers and clinicians)."""
    return can(user, Action.VIEW_ANALYTICS)
