from django.urls import path

from . import views

urlpatterns = [
    path("help/", views.crisis_help, name="help"),
]
