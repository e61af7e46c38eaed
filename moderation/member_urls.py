"""Moderation pages for members (outside /moderation/, which is the team's and needs MFA)."""

from django.urls import path

from . import member_views

app_name = "moderation_member"

urlpatterns = [
    path("report/<str:kind>/<int:target_id>/", member_views.report, name="report"),
    path("my-standing/", member_views.standing, name="standing"),
    path("my-standing/appeal/sanction/<int:pk>/", member_views.appeal_sanction, name="appeal_sanction"),
    path("my-standing/appeal/decision/<int:pk>/", member_views.appeal_item, name="appeal_item"),
]
