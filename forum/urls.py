from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("c/<slug:slug>/new/", views.topic_new, name="topic_new"),
    path("c/<slug:slug>/subscription/", views.category_subscription, name="category_subscription"),
    path("t/<int:pk>/", views.topic, name="topic"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/subscription/", views.topic_subscription, name="topic_subscription"),
    path("t/<int:pk>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("p/<int:pk>/", views.post_permalink, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/remove/", views.post_remove, name="post_remove"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/react/", views.post_react, name="post_react"),
    path("p/<int:pk>/bookmark/", views.post_bookmark, name="post_bookmark"),
    path("p/<int:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("members/<int:pk>/", views.member, name="member"),
    path("manage/", views.manage_categories, name="manage_categories"),
    path("manage/new/", views.manage_category_new, name="manage_category_new"),
    path("manage/<int:pk>/edit/", views.manage_category_edit, name="manage_category_edit"),
]
