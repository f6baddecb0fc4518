"""Reminders are now ``messaging.Message`` rows: each reminder already sent becomes a sent message
under the key the reminders now use, so none is sent again, and the old table goes."""

from django.db import migrations


def reminders_to_messages(apps, schema_editor):
    ReminderSent = apps.get_model("checkins", "ReminderSent")
    Message = apps.get_model("messaging", "Message")
    CheckIn = apps.get_model("checkins", "CheckIn")
    FollowUp = apps.get_model("followup", "FollowUp")
    owners = {"check_in": CheckIn, "follow_up": FollowUp}
    for reminder in ReminderSent.objects.all().iterator():
        key = f"{reminder.kind}:{reminder.object_id}"
        owner = owners.get(reminder.kind)
        record = owner.objects.filter(pk=reminder.object_id).first() if owner else None
        if record is None or Message.objects.filter(dedupe_key=key).exists():
            continue
        Message.objects.create(
            dedupe_key=key,
            clinic_id=record.clinic_id,
            patient_id=record.patient_id,
            channel="email",
            to=reminder.sent_to,
            purpose=reminder.kind,
            body="(sent before messages were kept)",
            status="sent",
            attempts=1,
            sent_at=reminder.sent_at,
            created_at=reminder.sent_at,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("checkins", "0001_patient_links_check_ins_flags"),
        ("followup", "0001_initial"),
        ("messaging", "0001_messages_and_channel_choices"),
    ]

    operations = [
        migrations.RunPython(reminders_to_messages, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReminderSent"),
    ]
