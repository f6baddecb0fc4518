"""No two live appointments of one practitioner, or of one room, overlap: PostgreSQL exclusion
constraints over the appointment's time range (half-open, so back-to-back appointments are fine).

SQLite has no exclusion constraint; there ``diary.services`` checks for an overlap inside an
IMMEDIATE transaction, which serialises bookings. Creating ``btree_gist`` needs a role allowed to
create extensions (a superuser, or the database's owner on PostgreSQL 13+ since it is trusted).
"""

from django.db import migrations

LIVE = "voided_at IS NULL AND status NOT IN ('cancelled', 'did_not_attend')"

CONSTRAINTS = {
    "appointment_practitioner_no_overlap": f"""
        ALTER TABLE diary_appointment ADD CONSTRAINT appointment_practitioner_no_overlap
        EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE ({LIVE})""",
    "appointment_room_no_overlap": f"""
        ALTER TABLE diary_appointment ADD CONSTRAINT appointment_room_no_overlap
        EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE ({LIVE} AND room_id IS NOT NULL)""",
}


def add_constraints(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for sql in CONSTRAINTS.values():
        schema_editor.execute(sql)


def drop_constraints(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE diary_appointment DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("diary", "0001_diary_records")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
