"""connections' addresses, mounted in community/urls.py under their fixed prefixes (DESIGN: fixed addresses):
/me/goals/ (namespace "goals"), /connections/ (buddies, "connections"), /messages/ ("conversations") and /support/
("support")."""

from django.urls import path

from .views import buddies, conversations, goals, support

goal_patterns = [
    path("", goals.goal_list, name="list"),
    path("check-in/", goals.daily_checkin, name="daily"),
    path("<int:pk>/", goals.goal_detail, name="detail"),
    path("<int:pk>/check-in/", goals.goal_check_in, name="check_in"),
    path("<int:pk>/put-aside/", goals.goal_archive, name="archive"),
]

buddy_patterns = [
    path("buddies/", buddies.buddy_list, name="buddies"),
    path("buddies/ask/", buddies.ask_by_name, name="ask_by_name"),
    path("buddies/ask/<int:pk>/", buddies.ask, name="ask"),
    path("buddies/requests/<int:pk>/accept/", buddies.accept, name="accept"),
    path("buddies/requests/<int:pk>/decline/", buddies.decline, name="decline"),
    path("buddies/<int:pk>/", buddies.buddy_detail, name="buddy"),
    path("buddies/<int:pk>/nudge/", buddies.nudge, name="nudge"),
    path("buddies/<int:pk>/end/", buddies.end, name="end"),
]

conversation_patterns = [
    path("", conversations.conversation_list, name="list"),
    path("with/<int:pk>/", conversations.start, name="start"),
]

support_patterns = [
    path("", support.support_home, name="home"),
    path("ask/", support.ask_for_support, name="ask"),
    path("status/", support.status, name="status"),
    path("duty/", support.duty, name="duty"),
    path("requests/<int:pk>/answer/", support.answer, name="answer"),
    path("requests/<int:pk>/close/", support.close, name="close"),
    path("supporters/", support.supporters, name="supporters"),
    path("supporters/<int:pk>/remove/", support.remove_supporter, name="remove_supporter"),
]
