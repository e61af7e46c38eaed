from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from connections import urls as connections_urls

from . import views

# Before Wagtail's and the admin's own includes, so that these win: one way to sign in (allauth's).
one_sign_in = [
    path("resources/_util/login/", views.to_the_one_sign_in),
    path("resources/_util/authenticate_with_password/<int:restriction>/<int:page>/", views.to_the_one_sign_in),
    path("cms/login/", views.to_the_one_sign_in),
    re_path(r"^cms/password_reset/", views.to_the_one_sign_in, {"target": "account_reset_password"}),
    path("django-admin/login/", views.to_the_one_sign_in),
    # Documents' shared-password door (shared passwords are off; a private document asks for the one sign-in).
    path("documents/authenticate_with_password/<int:restriction_id>/", views.to_the_one_sign_in),
    re_path(r"^django-admin/password_change/", views.to_the_one_sign_in, {"target": "account_change_password"}),
]

urlpatterns = one_sign_in + [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    path("accounts/", include("allauth.urls")),
    # Before members.urls (which holds /me/): /me/goals/ belongs to connections.
    path("me/goals/", include((connections_urls.goal_patterns, "goals"))),
    path("connections/", include((connections_urls.buddy_patterns, "connections"))),
    path("messages/", include((connections_urls.conversation_patterns, "conversations"))),
    path("support/", include((connections_urls.support_patterns, "support"))),
    path("", include("members.urls")),
    path("", include("resources.urls")),
    path("forum/", include("forum.urls")),
    path("chat/", include("chat.urls")),
    path("notifications/", include("notifications.urls")),
    path("moderation/", include("moderation.urls")),
    path("", include("moderation.member_urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("resources/", include(wagtail_urls)),
]

# The site's own page for requests it cannot take (a post far over the size limit, say), not Django's bare one.
handler400 = "community.views.bad_request"

# 403 and 404 use Django's views with templates/403.html and 404.html (the site's layout, rendered with the request);
# 500.html stands alone, since the failure may lie in what the layout needs. With DEBUG on, Django would answer an
# unknown address with a debug page listing every URL pattern: this last pattern shows the site's 404 instead.
if settings.DEBUG:
    urlpatterns.append(re_path(r"^.*$", views.not_found_in_development, name="not_found_in_development"))
