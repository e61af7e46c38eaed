"""/me/goals/: one's goals and check-ins on them, what buddies shared, and the daily check-in with the mood chart."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from forum.models import Category
from forum.permissions import can_see_category, check_reply

from .. import permissions, selectors, services
from ..charts import mood_chart
from ..forms import DailyCheckInForm, GoalCheckInForm, GoalForm
from ..models import GoalCheckIn
from ..services import ConnectionsError

# The daily check-in page shows the writer crisis help once, after a line that suggests they may be in crisis.
CRISIS_HELP_SESSION_KEY = "connections_crisis_help"
HELD_MESSAGE = "Thank you for checking in. Your line waits for a moderator's look; until then only you can see it."

CHECKED_IN = {
    GoalCheckIn.Status.DONE: "Checked in: done. Well done for showing up for yourself.",
    GoalCheckIn.Status.PARTLY: "Checked in: partly. Every step counts.",
    GoalCheckIn.Status.NOT_THIS_TIME: "Checked in: not this time. Thank you for being honest; tomorrow is a new day.",
}


def _goal_or_404(user, pk: int):
    goal = selectors.own_goal(user, pk)
    if goal is None:
        raise Http404("No such goal.")
    permissions.check_edit_goal(user, goal)
    return goal


def _check_in_form(goal, data=None) -> GoalCheckInForm:
    return GoalCheckInForm(data, auto_id=f"id_goal{goal.pk}_%s")


def _list_page(request, form, status: int = 200):
    user = request.user
    goals = list(selectors.own_goals(user))
    for goal in goals:
        goal.check_in_form = _check_in_form(goal)
    context = {
        "form": form,
        "goals": goals,
        "shared_goals": list(selectors.goals_shared_with(user)),
    }
    return render(request, "connections/goals.html", context, status=status)


def goal_list(request):
    permissions.check_member(request.user)
    form = GoalForm(request.POST or None, owner=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                goal = services.create_goal(
                    owner=request.user,
                    title=form.cleaned_data["title"],
                    share_with=form.cleaned_data.get("share_with") or [],
                )
            except ConnectionsError as refused:
                form.add_error(None, str(refused))
            else:
                shared = "Only the buddies you chose can see it." if goal.shared_with.exists() else "It is private."
                messages.success(request, f"Your goal is set. {shared}")
                return redirect("goals:list")
        return _list_page(request, form, status=400)
    return _list_page(request, form)


def goal_detail(request, pk: int):
    goal = _goal_or_404(request.user, pk)
    initial = {"title": goal.title, "share_with": list(goal.shared_with.all())}
    form = GoalForm(request.POST or None, owner=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_goal(
                    goal=goal,
                    owner=request.user,
                    title=form.cleaned_data["title"],
                    share_with=form.cleaned_data.get("share_with") or [],
                )
            except ConnectionsError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Saved.")
                return redirect("goals:detail", pk=goal.pk)
        status = 400
    context = {
        "goal": goal,
        "form": form,
        "check_in_form": _check_in_form(goal),
        "check_ins": list(selectors.goal_check_ins(goal)),
    }
    return render(request, "connections/goal_detail.html", context, status=status)


@require_POST
def goal_check_in(request, pk: int):
    goal = _goal_or_404(request.user, pk)
    form = _check_in_form(goal, request.POST)
    back = request.POST.get("next") == "detail"
    target = reverse("goals:detail", args=[goal.pk]) if back else reverse("goals:list") + f"#goal-{goal.pk}"
    if form.is_valid():
        try:
            check_in = services.check_in_on_goal(
                goal=goal, member=request.user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except ConnectionsError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, CHECKED_IN[check_in.status])
        return redirect(target)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(target)


@require_POST
def goal_archive(request, pk: int):
    goal = _goal_or_404(request.user, pk)
    services.archive_goal(goal=goal, owner=request.user)
    messages.success(request, f"“{goal.title}” is put aside. Its check-ins stay with you.")
    return redirect("goals:list")


# --- the daily check-in --------------------------------------------------------------------------


def _checkin_category(user) -> Category | None:
    category = Category.objects.filter(slug=selectors.checkin_category_slug(user)).first()
    return category if category is not None and can_see_category(user, category) else None


def _daily_page(request, form, *, status: int = 200):
    user = request.user
    category = _checkin_category(user)
    today = selectors.todays_checkin(category) if category is not None else None
    chart = mood_chart(selectors.mood_days(user), today=timezone.localdate())
    context = {
        "form": form,
        "category": category,
        "today_topic": today.topic if today is not None else None,
        "chart": chart,
        "crisis_help": request.session.pop(CRISIS_HELP_SESSION_KEY, False),
    }
    return render(request, "connections/daily_checkin.html", context, status=status)


def daily_checkin(request):
    permissions.check_member(request.user)
    form = DailyCheckInForm(request.POST or None)
    if request.method != "POST":
        return _daily_page(request, form)
    if not form.is_valid():
        return _daily_page(request, form, status=400)
    user, data = request.user, form.cleaned_data
    topic = None
    if data["line"].strip() or data["include_mood"]:
        category = _checkin_category(user)
        checkin = services.open_daily_checkin(category=category) if category is not None else None
        topic = checkin.topic if checkin is not None else None
        if topic is not None:
            try:
                check_reply(user, topic)
            except (PermissionDenied, Http404) as refused:
                form.add_error(None, str(refused) or "You can't post in today's check-in.")
                return _daily_page(request, form, status=403)
    try:
        result = services.post_checkin(
            member=user, topic=topic, mood=data["mood"], line=data["line"], include_mood=data["include_mood"]
        )
    except ConnectionsError as refused:
        form.add_error(None, str(refused))
        return _daily_page(request, form, status=400)
    if result.decision.crisis:
        request.session[CRISIS_HELP_SESSION_KEY] = True
    if result.decision.hold:
        messages.info(request, HELD_MESSAGE)
    elif result.post is not None:
        messages.success(request, "Thank you for checking in. Your line is in today's check-in topic.")
    else:
        messages.success(request, "Thank you for checking in. Your mood is noted, for you only.")
    return redirect("goals:daily")
