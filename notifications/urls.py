from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("email/", views.email_preferences, name="email_preferences"),
    # Public: see community.middleware.PUBLIC_PREFIXES.
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
