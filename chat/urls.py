from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.room_list, name="rooms"),
    path("presence/", views.presence_setting, name="presence"),
    path("time-zone/", views.time_zone_setting, name="time_zone"),
    path("manage/", views.manage_rooms, name="manage"),
    path("manage/new/", views.room_edit, name="room_new"),
    path("manage/<int:pk>/", views.room_edit, name="room_edit"),
    path("<slug:slug>/", views.room, name="room"),
    path("<slug:slug>/post/", views.post, name="post"),
    path("<slug:slug>/messages/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:slug>/messages/<int:pk>/remove/", views.remove, name="remove"),
    path("<slug:slug>/messages/<int:pk>/flag/", views.flag, name="flag"),
    path("<slug:slug>/mute/", views.mute, name="mute"),
    path("<slug:slug>/mutes/<int:pk>/lift/", views.lift_mute, name="lift_mute"),
]
