"""The review queue and one item's page: moderators decide, use tools, sanction and take notes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .. import adapters, dashboard, selectors, services
from ..forms import DecisionForm, NoteForm, QueueFilterForm, RestoreForm, SanctionForm, ToolForm
from ..models import REPORT_REASONS, ReviewItem
from ..permissions import check_open_item, team_page
from .common import show_error, status_for, team_context

QUEUE_PER_PAGE = 25


@team_page
def queue(request):
    form = QueueFilterForm(
        request.GET or None, shows=selectors.QUEUE_SHOWS, kinds=adapters.kinds(), reasons=REPORT_REASONS
    )
    filters = form.filters() if form.is_bound else {"show": "open", "reason": "", "kind": ""}
    items = selectors.queue_items(request.user, **filters)
    page = Paginator(items, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "shows": selectors.QUEUE_SHOWS,
        "page": page,
        "rows": selectors.with_targets(page),
        "query": query.urlencode(),
        # Figures other apps add for the team (connections: how fast support requests were answered).
        "panels": dashboard.panels_for(request.user),
    }
    return render(request, "moderation/queue.html", team_context(request, context))


def _shown_decisions(row) -> list[tuple[str, str]]:
    """The decisions that make sense for the target as it is now (the service refuses the others anyway)."""
    shown = [services.DISMISS]
    if row.target is not None and row.adapter is not None:
        actions, state = row.adapter.actions, row.state
        if state in (adapters.HELD, adapters.HIDDEN) and adapters.RESTORE in actions:
            shown.append(services.APPROVE)
        if state in (adapters.VISIBLE, adapters.HELD) and adapters.HIDE in actions:
            shown.append(adapters.HIDE)
        if state != adapters.REMOVED and adapters.REMOVE in actions:
            shown.append(adapters.REMOVE)
    return [(name, services.DECISION_LABELS[name]) for name in shown]


def _item_forms(request, item, row, intent: str | None) -> dict:
    data = request.POST if request.method == "POST" else None

    def bound(name):
        return data if intent == name else None

    offered = adapters.offered_actions(row.adapter, row.target) if row.adapter is not None else ()
    tool_names = [t for t in services.TOOLS if t in offered]
    move_choices = []
    if adapters.MOVE in tool_names and row.target is not None:
        move_choices = row.adapter.move_choices(row.target, request.user)
    posted_tool = data.get("tool") if data is not None and intent == "tool" else None
    return {
        "decide": DecisionForm(bound("decide"), choices=services.DECISION_LABELS.items()),
        "tools": [
            (
                tool,
                adapters.ACTIONS[tool],
                ToolForm(
                    data if posted_tool == tool else None,
                    initial={"tool": tool},
                    move_choices=move_choices,
                    auto_id=f"id_{tool}_%s",
                ),
            )
            for tool in tool_names
        ],
        "restore": RestoreForm(bound("restore"), auto_id="id_restore_%s"),
        "sanction": SanctionForm(bound("sanction"), auto_id="id_sanction_%s"),
        "note": NoteForm(bound("note"), auto_id="id_note_%s"),
    }


def _act_on_item(request, item, row, intent: str, forms: dict) -> str | None:
    """Carry out the one action the form asked for; the success message, or None (errors are on the form)."""
    actor = request.user
    author = item.target_author
    if intent in ("claim", "release"):
        try:
            services.claim_item(item=item, actor=actor, claim=intent == "claim")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return None
        return "You have claimed this item." if intent == "claim" else "You have let this item go."
    if intent == "tool":
        form = next((f for _tool, _label, f in forms["tools"] if f.is_bound), None)
    else:
        form = forms.get(intent)
    if form is None:
        messages.error(request, "Choose what to do.")
        return None
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if intent == "decide":
            services.decide_item(item=item, actor=actor, decision=data["decision"], reason=data["reason"])
            return "Done: the item is closed, and whoever reported it will hear that a moderator looked."
        if intent == "tool":
            services.use_tool(item=item, actor=actor, tool=data["tool"], reason=data["reason"], **form.options())
            return f"Done: {adapters.ACTIONS[data['tool']].lower()}."
        if intent == "restore":
            if row.target is None:
                raise services.ItemError("This no longer exists.")
            services.act_on_target(
                kind=item.kind, target=row.target, actor=actor, action=adapters.RESTORE, reason=data["reason"]
            )
            return "Restored: everyone who could see it before can see it again."
        if author is None:
            raise services.ItemError("The author's account no longer exists.")
        if intent == "sanction":
            services.issue_sanction(
                member=author,
                kind=data["kind"],
                actor=actor,
                reason=data["reason"],
                days=data.get("days"),
                hours=data.get("hours"),
                item=item,
            )
            return f"Done: {author.display_name} has been told what, why and until when."
        if intent == "note":
            services.add_member_note(member=author, author=actor, body=data["body"])
            return "Your note is saved. Only moderators see it."
    except ValidationError as error:
        show_error(form, error)
    return None


@team_page
def item_detail(request, pk: int):
    item = get_object_or_404(ReviewItem.objects.select_related("target_author", "claimed_by", "resolved_by"), pk=pk)
    check_open_item(request.user, item)
    row = selectors.item_row(item)
    intent = request.POST.get("intent") if request.method == "POST" else None
    forms = _item_forms(request, item, row, intent)
    if request.method == "POST":
        done = _act_on_item(request, item, row, intent or "", forms)
        if done:
            messages.success(request, done)
            return redirect("moderation:item", pk=item.pk)
        if not any(f.errors for f in _all_forms(forms)):
            return redirect("moderation:item", pk=item.pk)
        item.refresh_from_db()
        row = selectors.item_row(item)
    author = item.target_author
    context = {
        "item": item,
        "row": row,
        "flags": item.flags.all(),
        "current_text": row.adapter.text(row.target) if row.target is not None else "",
        "context_lines": (
            adapters.context_for(row.adapter, row.target, viewer=request.user) if row.target is not None else []
        ),
        "decisions": _shown_decisions(row),
        "can_restore": (
            not item.is_open
            and row.target is not None
            and row.state in (adapters.HIDDEN, adapters.REMOVED, adapters.HELD)
            and adapters.RESTORE in row.adapter.actions
        ),
        "forms": forms,
        "author": author,
        "can_sanction": author is not None and author.pk != request.user.pk,
        "history": selectors.author_history(request.user, author, exclude=item) if author else [],
        "sanctions": selectors.sanctions_of(author) if author else [],
        "notes": selectors.notes_on(author) if author else [],
    }
    return render(request, "moderation/item.html", team_context(request, context), status=status_for(_all_forms(forms)))


def _all_forms(forms: dict) -> list:
    return [f for name, f in forms.items() if name != "tools"] + [f for _t, _l, f in forms["tools"]]
