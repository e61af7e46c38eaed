from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_log_csv, name="audit_log_csv"),
    path("watched-words/", views.watched_words, name="watched_words"),
    path("watched-words/<int:pk>/", views.watched_word_edit, name="watched_word_edit"),
    path("watched-words/<int:pk>/active/", views.watched_word_active, name="watched_word_active"),
]
