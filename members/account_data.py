"""Everything a member wrote and set: gathered for their export, wiped when they erase their account.

Members may not import the apps that keep members' writing (forum, chat and moderation import members), so each
of them registers here, at start-up, how to export and erase what it keeps about one member:

    register_account_data("forum", export=export_member_data, erase=erase_member_data)

- `export(user)` returns JSON-friendly data (dicts, lists, strings, numbers): the member's own words and settings
  and nothing of anyone else's (what they point at, such as a bookmarked post, is named by its address only).
- `erase(user, remove_content)` runs inside the erasure's transaction, before the account itself is anonymised,
  so that the member's display name can still be found in others' text (quotes, mentions, snapshots).
  `remove_content` True: the member's posts and messages are emptied and marked removed. False: they stay,
  signed "Former member <id>".

This module then does members' own part: the account row, its addresses, sessions, second factors, notices and
the audit log's names for it.
"""

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django_tasks import task

from audit.models import AuditEntry, AuditRedaction

from .mentions import MENTION
from .models import Block, DataExport, MentionPolicy, NameChange, ProgrammeMembership, User

logger = logging.getLogger(__name__)

FORMAT = "alumni-community-export/1"
# How others' text names an erased member where their name stood (a quote, a mention, a moderator's note).
FORMER_MEMBER = "a former member"
REDACTED_NAME = "[former member]"


@dataclass(frozen=True)
class AccountData:
    name: str
    export: Callable[[User], dict | list]
    erase: Callable[[User, bool], None]


_handlers: dict[str, AccountData] = {}


def register_account_data(
    name: str, *, export: Callable[[User], dict | list], erase: Callable[[User, bool], None]
) -> None:
    """Called once per app at start-up; registering a name again replaces it (autoreload, tests)."""
    _handlers[name] = AccountData(name=name, export=export, erase=erase)


def registered_names() -> list[str]:
    return list(_handlers)


def erased_display_name(user: User) -> str:
    """The name an erased account is shown by: unique (the id), and nothing of the old name."""
    return f"Former member {user.pk}"


def erased_email(user: User) -> str:
    # `.invalid` can never be delivered to (RFC 2606): no mail reaches anyone through an erased account.
    return f"erased-{user.pk}@invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_email(user)


# --- text helpers the apps' handlers share -------------------------------------------------------------


def name_pattern(name: str) -> re.Pattern:
    """The display name as a whole word, any case ("Sam" in "Thanks Sam!", not in "same")."""
    return re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])", re.IGNORECASE)


def without_name(text: str, name: str, replacement: str = REDACTED_NAME) -> str:
    """`text` with every whole-word occurrence of `name` (any case, underscores also as spaces) replaced."""
    if not text or not name:
        return text
    for variant in {name, name.replace("_", " "), name.replace("_", "\\_")}:
        text = name_pattern(variant).sub(replacement, text)
    return text


def without_mentions(text: str, name: str, replacement: str = FORMER_MEMBER) -> str:
    """`text` with each @mention of `name` (either syntax of members.mentions) replaced by `replacement`."""
    if not text or "@" not in text:
        return text
    wanted = " ".join(name.split()).lower()

    def replace(match: re.Match) -> str:
        if match.group("exact"):
            candidates = [" ".join(match.group("exact").split()).lower()]
        else:
            bare = match.group("bare").lower()
            candidates = [bare, bare.replace("_", " ")]
        return replacement if wanted in candidates else match.group(0)

    return MENTION.sub(replace, text)


# --- export ---------------------------------------------------------------------------------------------


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _export_account(user: User) -> dict:
    from allauth.account.models import EmailAddress

    data = {
        "profile": {
            "display_name": user.display_name,
            "bio": user.bio,
            "email": user.email,
            "year_of_birth": user.year_of_birth,
            "member_since": _iso(user.date_joined),
            "time_zone": user.time_zone or "the clinic's",
        },
        "settings": {
            "show_presence_in_chat": user.show_presence,
            "who_may_mention_me": MentionPolicy(user.mention_policy).label,
            "announce_milestones": user.show_milestones,
        },
        "recovery_counter": {"start_date": _iso(user.milestone_start)},
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "programme_groups": sorted(ProgrammeMembership.objects.filter(user=user).values_list("group__name", flat=True)),
        "consents": [
            {"document": c.get_document_display(), "version": c.version, "accepted_at": _iso(c.accepted_at)}
            for c in user.consents.all()
        ],
        "members_you_blocked": [
            {"display_name": b.blocked.display_name, "since": _iso(b.created_at)}
            for b in Block.objects.filter(blocker=user).select_related("blocked").order_by("created_at")
        ],
        "display_name_changes": [_iso(c.changed_at) for c in NameChange.objects.filter(user=user)],
    }
    from notifications.selectors import preferences_for

    data["email_preferences"] = preferences_for(user)
    return data


def export_everything(user: User) -> dict:
    """Everything the member wrote and set, as JSON-friendly data: their account, then each app's part."""
    data = {"format": FORMAT, "exported_at": _iso(timezone.now()), "account": _export_account(user)}
    for handler in _handlers.values():
        data[handler.name] = handler.export(user)
    return data


@dataclass
class Record:
    """One row of a readable export (a post, a message): labelled values."""

    items: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class Section:
    title: str
    level: int
    items: list[tuple[str, object]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _plain(value) -> object:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def readable_sections(data: dict) -> list[Section]:
    """The export as headed sections for the readable page: plain values as a list of labelled items, lists of
    records as one block each, lists of words as a list."""
    sections: list[Section] = []

    def walk(title: str, value, level: int) -> None:
        section = Section(title=title, level=min(level, 4))
        sections.append(section)
        if isinstance(value, dict):
            nested = []
            for key, item in value.items():
                if isinstance(item, dict | list):
                    nested.append((key, item))
                else:
                    section.items.append((_label(key), _plain(item)))
            for key, item in nested:
                walk(_label(key), item, level + 1)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    section.records.append(Record(items=[(_label(k), _plain(v)) for k, v in item.items()]))
                else:
                    section.lists.append(str(_plain(item)))

    for key, value in data.items():
        if key in ("format", "exported_at"):
            continue
        walk(_label(key), value, 2)
    return sections


def build_export(export: DataExport) -> DataExport:
    """Write the member's data to the export's file; older exports of theirs go (one copy at a time)."""
    content = json.dumps(export_everything(export.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    export.file.save("export.json", ContentFile(content.encode("utf-8")), save=False)
    export.state = DataExport.State.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "state", "finished_at"])
    delete_exports(DataExport.objects.filter(user_id=export.user_id).exclude(pk=export.pk))
    return export


def read_export(export: DataExport) -> dict:
    with export.file.open("rb") as handle:
        return json.loads(handle.read().decode("utf-8"))


def delete_exports(exports) -> int:
    """Delete these exports and their files."""
    count = 0
    for export in list(exports):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count


def purge_expired_exports() -> int:
    """Delete every export past its expiry, and any that never finished within a day (a worker that died)."""
    now = timezone.now()
    stale = DataExport.objects.filter(expires_at__lte=now) | DataExport.objects.exclude(
        state=DataExport.State.READY
    ).filter(created_at__lte=now - timezone.timedelta(days=1))
    return delete_exports(stale)


@task()
def build_data_export(export_id: int) -> None:
    """Prepare one member's export (queued by members.services.request_data_export)."""
    purge_expired_exports()
    export = DataExport.objects.filter(pk=export_id, state=DataExport.State.PENDING).select_related("user").first()
    if export is None:
        return
    try:
        with transaction.atomic():
            build_export(export)
    except Exception:
        logger.exception("Could not prepare data export %s.", export_id)
        DataExport.objects.filter(pk=export_id).update(state=DataExport.State.FAILED, finished_at=timezone.now())
        if export.file:
            export.file.delete(save=False)


# --- erasure --------------------------------------------------------------------------------------------


def erase_everything(user: User, *, remove_content: bool) -> None:
    """Erase the member from every app, then anonymise the account itself. Call inside a transaction."""
    for handler in _handlers.values():
        handler.erase(user, remove_content)
    _erase_account(user, remove_content=remove_content)


def _erase_notices(user: User, *, remove_content: bool) -> None:
    from notifications.models import EmailPreference, Notification

    Notification.objects.filter(recipient=user).delete()
    EmailPreference.objects.filter(user=user).delete()
    # A notice with a target is worded at read time from the actor's (now anonymised) name; one without a target
    # is shown as stored, so the name goes from every stored text. Notices about what they wrote quote its title:
    # with their words removed, those words go too.
    if remove_content:
        Notification.objects.filter(actor=user).update(text="A former member wrote something that was since removed.")
    name = user.display_name
    for notice in Notification.objects.filter(text__icontains=name):
        text = without_name(notice.text, name, replacement="A former member")
        if text != notice.text:
            notice.text = text
            notice.save(update_fields=["text"])


def _erase_log_names(user: User) -> None:
    """Logs name their target as it was called then, and moderators' reasons may name the member. The audit log
    is append-only; its triggers allow exactly these changes (audit migration 0007): a row about an account may
    forget its name, keeping the id, and a reason may have a word listed in AuditRedaction replaced by
    "[former member]". The name is listed only while this transaction runs."""
    user_type = ContentType.objects.get_for_model(User)
    erased_repr = f"Removed account #{user.pk}"
    AuditEntry.objects.filter(target_type=user_type, target_id=str(user.pk)).exclude(target_repr=erased_repr).update(
        target_repr=erased_repr
    )
    pattern = name_pattern(user.display_name)
    spellings = {
        match.group(0)
        for reason in AuditEntry.objects.filter(reason__icontains=user.display_name).values_list("reason", flat=True)
        for match in pattern.finditer(reason)
    }
    if spellings:
        AuditRedaction.objects.bulk_create([AuditRedaction(word=word) for word in spellings])
        for word in spellings:
            AuditEntry.objects.filter(reason__contains=word).update(
                reason=Replace(F("reason"), Value(word), Value(REDACTED_NAME))
            )
        AuditRedaction.objects.filter(word__in=spellings).delete()
    from django.contrib.admin.models import LogEntry

    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(object_repr=erased_repr)
    if apps.is_installed("wagtail"):
        from wagtail.models import ModelLogEntry

        ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(label=erased_repr)


def _end_sessions(user: User) -> None:
    """Sign the account out everywhere: allauth's list of sessions, and any session that was not listed."""
    from django.contrib.sessions.models import Session

    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        for session in UserSession.objects.filter(user=user):
            session.end()
        UserSession.objects.filter(user=user).delete()
    pk = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == pk:
            session.delete()


def _forget_queued_mail(email: str) -> None:
    """Queued and finished email tasks carry the address (production's task table); those not running go."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.exclude(status="RUNNING").filter(args_kwargs__icontains=email).delete()


def _erase_account(user: User, *, remove_content: bool) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from .models import Invitation

    old_email = user.email
    _erase_notices(user, remove_content=remove_content)
    _erase_log_names(user)
    _end_sessions(user)
    _forget_queued_mail(old_email)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Block.objects.filter(blocker=user).delete()
    Block.objects.filter(blocked=user).delete()
    NameChange.objects.filter(user=user).delete()
    delete_exports(DataExport.objects.filter(user=user))
    ProgrammeMembership.objects.filter(user=user).delete()
    Invitation.objects.filter(used_by=user).update(email="", used_by=None)
    Invitation.objects.filter(email__iexact=old_email).update(email="")
    if apps.is_installed("wagtail.users"):
        from wagtail.users.models import UserProfile

        UserProfile.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.__dict__.pop("role_names", None)
    user.email = erased_email(user)
    user.display_name = erased_display_name(user)
    user.bio = ""
    user.time_zone = ""
    user.milestone_start = None
    user.show_milestones = False
    user.milestone_announced_days = 0
    user.show_presence = False
    user.mention_policy = MentionPolicy.EVERYONE
    user.email_verified = False
    user.teen_cleared = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
