from django.contrib import admin

from .models import Category, Post, Topic


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "audience", "position", "locked", "slow_mode_seconds", "topic_count"]
    readonly_fields = ["topic_count", "last_post_at", "last_topic"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    # Read-only: changes go through forum.services so that counters and the audit log stay right.
    list_display = ["title", "category", "state", "pinned", "locked", "reply_count", "last_post_at"]
    list_filter = ["state", "category"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "state", "created_at"]
    list_filter = ["state"]

    def has_change_permission(self, request, obj=None):
        return False
