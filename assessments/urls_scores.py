"""Score entry pages."""

from django.urls import path

from assessments import views

urlpatterns = [
    path(
        "units/<slug:code>/<int:year>/assessment/",
        views.assessment_create,
        name="assessment-create",
    ),
    path("assessments/<int:pk>/scores/", views.score_entry, name="score-entry"),
]
