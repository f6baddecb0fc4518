"""Who may do what. The one place roles turn into permissions; views and services ask here."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from .models import Role

if TYPE_CHECKING:
    from .models import User


class Action(StrEnum):
    VIEW_CLINICAL = "view_clinical"  # read assessments, plans, sessions, events, outcomes
    VIEW_PATIENT = "view_patient"  # read demographics
    EDIT_PATIENT = "edit_patient"  # create and edit demographics
    SCREEN = "screen"  # record screening answers
    ASSESS = "assess"  # record assessments and findings
    PLAN = "plan"  # plan and approve treatment
    CONSENT = "consent"  # record consent
    INJECT = "inject"  # record injections and run sessions
    OVERRIDE_LIMIT = "override_limit"  # pass a session limit with a recorded reason
    AFTERCARE = "aftercare"  # record aftercare, follow-ups, adverse events, outcomes
    WRITE_NOTE = "write_note"  # write clinical notes on assessments, sessions and follow-ups
    MANAGE_STOCK = "manage_stock"
    MANAGE_CLINIC = "manage_clinic"  # staff and clinic settings
    VOID = "void"  # void a clinical record with a reason
    VIEW_ANALYTICS = "view_analytics"  # the clinic's figures, their drill-downs and reports
    BOOK = "book"  # book, move and cancel appointments in the diary
    TAKE_PHOTO = "take_photo"  # record photo consent and take clinical photographs
    VIEW_PHOTO = "view_photo"  # open clinical photographs


_BY_ROLE: dict[str, frozenset[Action]] = {
    Role.CLINICIAN: frozenset(Action) - {Action.MANAGE_STOCK, Action.MANAGE_CLINIC},
    Role.NURSE: frozenset(
        {
            Action.VIEW_CLINICAL,
            Action.VIEW_PATIENT,
            Action.EDIT_PATIENT,
            Action.SCREEN,
            Action.CONSENT,
            Action.INJECT,
            Action.AFTERCARE,
            Action.WRITE_NOTE,
            Action.BOOK,
            Action.TAKE_PHOTO,
            Action.VIEW_PHOTO,
        }
    ),
    Role.RECEPTION: frozenset({Action.VIEW_PATIENT, Action.EDIT_PATIENT, Action.BOOK}),
    Role.MANAGER: frozenset(
        {
            Action.VIEW_PATIENT,
            Action.VIEW_CLINICAL,
            Action.MANAGE_STOCK,
            Action.MANAGE_CLINIC,
            Action.VIEW_ANALYTICS,
        }
    ),
    Role.ADMIN: frozenset(Action),
}


def can(user: User, action: Action) -> bool:
    """Whether ``user`` may do ``action`` in their own clinic."""
    if not user.is_authenticated or not user.is_active:
        return False
    if action is Action.INJECT and user.role == Role.NURSE:
        return bool(user.clinic and user.clinic.nurses_may_inject)
    return action in _BY_ROLE.get(user.role, frozenset())


def require(user: User, action: Action) -> None:
    if not can(user, action):
        raise PermissionDenied(
            f"Your role ({user.get_role_display()}) may not {action.value.replace('_', ' ')}."
        )
