"""Reminders sent before messages were kept become sent messages under the keys the reminders now
use, so the switch to the message records sends none of them again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from scleropath.checkins.models import CheckIn
from scleropath.messaging.models import Message, MessageStatus
from tests.pathway import Pathway

BEFORE = [
    ("checkins", "0001_patient_links_check_ins_flags"),
    ("messaging", "0001_messages_and_channel_choices"),
]
AFTER = [("checkins", "0002_reminders_are_messages")]


@pytest.mark.django_db(transaction=True)
def test_each_reminder_already_sent_becomes_a_sent_message_and_none_is_lost(treated: Pathway, link: Any):
    check_in = CheckIn.objects.filter(session=treated.session).order_by("day").first()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    sent_at = timezone.now() - timedelta(days=3)
    reminders = old.get_model("checkins", "ReminderSent")
    reminders.objects.create(
        kind="check_in", object_id=check_in.pk, sent_to="ann@example.com", sent_at=sent_at
    )
    reminders.objects.create(kind="check_in", object_id=999_999, sent_to="gone@example.com")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    (message,) = Message.objects.filter(purpose="check_in")
    assert (message.dedupe_key, message.status, message.to, message.sent_at) == (
        f"check_in:{check_in.pk}",
        MessageStatus.SENT,
        "ann@example.com",
        sent_at,
    )
    assert (message.patient_id, message.clinic_id) == (check_in.patient_id, check_in.clinic_id)
