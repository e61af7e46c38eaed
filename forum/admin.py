"""Read-only views for superusers. Changes go through forum.services (staff use /forum/manage/), so that
counters, the search index and the audit log stay right."""

from django.contrib import admin

from members.admin import ReadOnlyAdmin

from .models import Category, Post, Topic


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "audience", "position", "locked", "slow_mode_seconds", "topic_count"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "state", "pinned", "locked", "reply_count", "last_post_at"]
    list_filter = ["state", "category"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author", "state", "created_at"]
    list_filter = ["state"]
