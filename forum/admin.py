"""Read-only views for superusers. Changes go through forum.services (staff use /forum/manage/), so that
counters, the search index and the audit log stay right."""

from django.contrib import admin

from .models import Category, Post, Topic


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
