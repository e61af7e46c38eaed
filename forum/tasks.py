"""Forum work that leaves the request: telling members of new posts (forum.services.notices holds the rules).

Tasks take ids only (arguments are JSON) and read the post afresh: a post taken down before its task runs tells
no one. The immediate backend (development, tests) runs each at once when it is queued, after the request's
commit; the database backend (production) runs them in `manage.py db_worker`. A chunk of watchers that fails
is tried again on its own, a few times, where the backend can run tasks later; the other chunks go on, and a
retried chunk tells no one twice.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from members.tasks import enqueue_after_commit

from .services import notices

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
# Minutes before attempt 2, 3, ...: a database that was busy or restarting has come back by then.
RETRY_DELAYS_MINUTES = (1, 5, 30)


def _retry_later(task_obj, kwargs: dict, attempt: int, error: Exception) -> None:
    """Queue another attempt where the backend can run one later, then re-raise so this one is recorded failed."""
    logger.warning("%s failed (attempt %s of %s): %r", task_obj.name, attempt, MAX_ATTEMPTS, error)
    if attempt < MAX_ATTEMPTS and task_obj.get_backend().supports_defer:
        delay = timedelta(minutes=RETRY_DELAYS_MINUTES[min(attempt, len(RETRY_DELAYS_MINUTES)) - 1])
        try:
            task_obj.using(run_after=timezone.now() + delay).enqueue(**kwargs, attempt=attempt + 1)
        except Exception:
            logger.exception("Could not queue another attempt of %s.", task_obj.name)
    raise error


@task()
def announce_post(post_id: int, new_topic: bool, mentioned_ids: list[int] | None = None) -> int:
    """Tell the members a newly published post mentions (None: read them from its text), then queue its watchers
    in chunks. Returns how many chunks were queued."""
    post = notices.published_post(post_id)
    if post is None:
        return 0
    if mentioned_ids is None:
        mentioned_ids = notices.mentioned_ids(post)
    told = notices.tell_mentioned(post=post, user_ids=mentioned_ids) if mentioned_ids else set()
    ids = notices.watcher_ids(post=post, new_topic=new_topic, leave_out=told)
    chunks = notices.chunked(ids)
    for chunk in chunks:
        enqueue_after_commit(tell_watchers, post_id=post_id, new_topic=new_topic, user_ids=chunk)
    return len(chunks)


@task()
def tell_watchers(post_id: int, new_topic: bool, user_ids: list[int], attempt: int = 1) -> int:
    """Tell one chunk of watchers (at most notices.WATCHERS_PER_CHUNK) of a new post. Returns how many."""
    try:
        post = notices.published_post(post_id)
        if post is None:
            return 0
        return notices.tell_watchers(post=post, new_topic=new_topic, user_ids=user_ids)
    except Exception as exc:
        _retry_later(tell_watchers, {"post_id": post_id, "new_topic": new_topic, "user_ids": user_ids}, attempt, exc)
        raise  # not reached: _retry_later re-raises


@task()
def tell_mentioned(post_id: int, user_ids: list[int]) -> int:
    """Tell members newly mentioned by an edit. Returns how many."""
    post = notices.published_post(post_id)
    if post is None:
        return 0
    return len(notices.tell_mentioned(post=post, user_ids=user_ids))


@task()
def tell_reaction(post_id: int, actor_id: int) -> bool:
    """Tell a post's author that a member reacted (grouped with the other reactions they have not read)."""
    post = notices.published_post(post_id)
    if post is None:
        return False
    return notices.tell_reaction(post=post, actor_id=actor_id)
