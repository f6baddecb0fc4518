from django.urls import path

from .views import aftercare, assessment, flags, followup, notes, patients, plan, screening, session, today

app_name = "web"

urlpatterns = [
    path("", today.today, name="today"),
    path("patients/", patients.patients, name="patients"),
    path("patients/new/", patients.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", patients.chart, name="chart"),
    path("patients/<int:patient_id>/screening/", screening.screening, name="screening"),
    path("patients/<int:patient_id>/assessments/new/", assessment.assessment_new, name="assessment_new"),
    path("patients/<int:patient_id>/events/new/", followup.event_new, name="event_new"),
    path("assessments/<int:assessment_id>/", assessment.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/classify/", assessment.classify_preview, name="classify_preview"),
    path("assessments/<int:assessment_id>/scores/", assessment.leg_score, name="leg_score"),
    path("assessments/<int:assessment_id>/plan/", assessment.plan_new, name="plan_new"),
    path("findings/<int:finding_id>/edit/", assessment.finding_edit, name="finding_edit"),
    path("findings/<int:finding_id>/remove/", assessment.finding_remove, name="finding_remove"),
    path("plans/<int:plan_id>/", plan.plan, name="plan"),
    path("plans/<int:plan_id>/consent/", plan.consent, name="consent"),
    path("plans/<int:plan_id>/sessions/new/", session.session_new, name="session_new"),
    path("plans/<int:plan_id>/outcome/", followup.outcome, name="outcome"),
    path("sessions/<int:session_id>/", session.session, name="session"),
    path("sessions/<int:session_id>/tally/", session.tally, name="tally"),
    path("sessions/<int:session_id>/complete/", session.session_complete, name="session_complete"),
    path("sessions/<int:session_id>/aftercare/", aftercare.aftercare, name="aftercare"),
    path("sessions/<int:session_id>/aftercare.pdf", aftercare.aftercare_pdf, name="aftercare_pdf"),
    path("follow-ups/<int:follow_up_id>/", followup.follow_up, name="follow_up"),
    path("events/<int:event_id>/", followup.event, name="event"),
    path("assessments/<int:assessment_id>/notes/", notes.assessment_notes, name="assessment_notes"),
    path("sessions/<int:session_id>/notes/", notes.session_notes, name="session_notes"),
    path("follow-ups/<int:follow_up_id>/notes/", notes.follow_up_notes, name="follow_up_notes"),
    path("notes/<int:note_id>/void/", notes.note_void, name="note_void"),
    path("flags/", flags.flags, name="flags"),
    path("flags/<int:flag_id>/acknowledge/", flags.flag_acknowledge, name="flag_acknowledge"),
    path("sessions/<int:session_id>/patient-link/", flags.send_link, name="send_link"),
    path("patient-links/<int:link_id>/revoke/", flags.revoke, name="revoke_link"),
]
