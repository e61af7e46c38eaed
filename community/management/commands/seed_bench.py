"""`manage.py seed_bench`: a large, deterministic data set for the benchmarks in bench/ (throwaway databases only).

The same options give the same rows, byte for byte (a fixed random seed, fixed dates): members, forum categories,
topics and posts with reactions, bookmarks, read markers and the search index, chat rooms and messages.

Rows are bulk-inserted, not written through the services: those screen, notify, audit and index one post at a
time (hours for 100,000 posts). What the services would keep in step is set here from the inserted rows instead:
topic and category counters, the author's watch on their topic, the room's seq, and the search index (through the
search backend's own bulk call, so SQLite's FTS5 table and PostgreSQL's search vectors are filled as usual).

`--spirit-like` builds the data set of the side-by-side comparison with Spirit (bench/spirit_side_by_side.py
builds the same one in Spirit through its models): 50 members, one category of 200 topics an hour apart from
2024-01-01 UTC, topic 0 with 1,000 posts, topic 1 with 20, the others 5, authors in turn, posts a minute apart.
`--big-category` adds one category of 10,000 topics, for topic-list costs that must not grow with a category.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

BATCH = 2000
DEFAULT_SEED = 20_241_128
SPIRIT_START = datetime(2024, 1, 1, tzinfo=UTC)
DEFAULT_START = datetime(2025, 1, 1, tzinfo=UTC)
EMAIL = "bench-{n}@bench.invalid"
STAFF_EMAIL = "bench-staff@bench.invalid"
LINK_REL = "nofollow noopener ugc"  # what members.markup adds to every link

WORDS = (
    "today week morning evening walk sleep work family friend group meeting call plan habit routine step goal "
    "coffee garden kitchen music book note journal list breath pause patience trust hope calm steady small "
    "slow gentle honest kind brave tired grateful proud careful ready quiet better easier harder longer again "
    "still maybe always sometimes often rarely together alone outside inside early late first last next every "
    "remember notice choose keep share tell ask listen write read cook clean rest stretch breathe reach wait "
    "sponsor counsellor sister brother partner neighbour colleague mentor peer buddy cousin daughter son dog cat "
    "craving trigger setback relapse recovery progress milestone anniversary balance boundary support check "
    "evening shift holiday weekend birthday doctor appointment pharmacy bus train rain sun snow park river "
    "the a an and but so because when while after before with without about around through under over into "
    "is was feels felt helps helped made makes took takes found finds gave gives learned learns tried tries"
).split()
NAMES = (
    "Alex Sam Robin Jordan Casey Riley Morgan Taylor Jamie Avery Quinn Rowan Sky Drew Kai Noor Ari Remy Emery "
    "Jules Lee Max Nico Pat Reese Sage Shay Toni Val Wren Blake Cameron Dana Eli Frankie Gray Harper Indy Jessie"
).split()


class TextMaker:
    """Seeded Markdown bodies and the HTML members.markup renders for them (a test checks they agree).

    Words only, no characters Markdown or HTML treat specially, so the HTML can be built alongside the Markdown
    instead of rendering 100,000 bodies. About 430 bytes of HTML on average: paragraphs, sometimes bold, a link,
    a quote, a list or a code block.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.links = 0

    def _sentence(self, low: int = 7, high: int = 14) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def _paragraph(self) -> tuple[str, str]:
        sentences = [self._sentence() for _ in range(self.rng.randint(2, 3))]
        text = " ".join(sentences)
        md, html = text, text
        if self.rng.random() < 0.3:
            bold = " ".join(self.rng.choices(WORDS, k=self.rng.randint(1, 3)))
            md, html = f"{md} **{bold}**", f"{html} <strong>{bold}</strong>"
        if self.rng.random() < 0.15:
            self.links += 1
            url = f"https://example.org/notes/{self.links % 997}"
            label = " ".join(self.rng.choices(WORDS, k=2))
            md = f"{md} See [{label}]({url})."
            html = f'{html} See <a href="{url}" rel="{LINK_REL}">{label}</a>.'
        return md, f"<p>{html}</p>"

    def post(self) -> tuple[str, str]:
        blocks = [self._paragraph() for _ in range(self.rng.randint(1, 3))]
        roll = self.rng.random()
        if roll < 0.12:
            quote = self._sentence()
            blocks.insert(0, (f"> {quote}", f"<blockquote>\n<p>{quote}</p>\n</blockquote>"))
        elif roll < 0.24:
            items = [self._sentence(2, 5) for _ in range(self.rng.randint(2, 4))]
            blocks.append(
                ("\n".join(f"- {i}" for i in items), "<ul>\n" + "".join(f"<li>{i}</li>\n" for i in items) + "</ul>")
            )
        elif roll < 0.32:
            lines = [f"{self.rng.choice(WORDS)} = {self.rng.randint(1, 99)}" for _ in range(self.rng.randint(2, 4))]
            code = "\n".join(lines)
            blocks.append((f"```\n{code}\n```", f"<pre><code>{code}\n</code></pre>"))
        return "\n\n".join(b[0] for b in blocks), "\n".join(b[1] for b in blocks)

    def line(self) -> tuple[str, str]:
        """A chat message: one or two sentences."""
        text = " ".join(self._sentence(3, 10) for _ in range(self.rng.randint(1, 2)))
        return text, f"<p>{text}</p>"

    def title(self) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(3, 7))).capitalize()


class Command(BaseCommand):
    help = (
        "Fill an empty throwaway database with a large deterministic data set for bench/ (members, forum, chat). "
        "Refuses production settings and a database that already has members or posts, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000)
        parser.add_argument("--topics", type=int, default=2000, help="Forum topics, the long topic included.")
        parser.add_argument("--posts", type=int, default=100_000, help="Forum posts in all, the long topic's too.")
        parser.add_argument("--long-topic-posts", type=int, default=2000, help="Posts in the one long topic.")
        parser.add_argument("--rooms", type=int, default=20)
        parser.add_argument("--messages", type=int, default=50_000, help="Chat messages across the rooms.")
        parser.add_argument(
            "--spirit-like",
            action="store_true",
            help="Instead: Spirit's comparison set (50 members, one category of 200 topics, a 1,000-post topic).",
        )
        parser.add_argument(
            "--big-category", action="store_true", help="Also one category of --big-category-topics topics."
        )
        parser.add_argument("--big-category-topics", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off or a database that already has data."
        )

    def handle(self, *args, **opts):
        self._check_it_is_safe(opts["force"])
        if opts["spirit_like"]:
            opts.update(members=50, rooms=0, messages=0)
        if opts["members"] < 2:
            raise CommandError("Give at least 2 members.")
        if not opts["spirit_like"] and opts["topics"] > 0:
            if opts["long_topic_posts"] < 1 or opts["posts"] < opts["topics"] - 1 + opts["long_topic_posts"]:
                raise CommandError("--posts must cover one post per topic plus the long topic's posts.")
        if opts["messages"] and not opts["rooms"]:
            raise CommandError("Chat messages need at least one room (--rooms).")
        started = time.monotonic()
        self.rng = random.Random(opts["seed"])
        self.text = TextMaker(random.Random(opts["seed"] + 1))
        self.progress = _progress_factory(self.stderr)
        # Query logging (DEBUG on) keeps the text of every bulk insert and slows them down.
        with override_settings(DEBUG=False):
            self._seed(opts)
        summary = self._summary()
        self.stdout.write(self.style.SUCCESS(f"Bench data set ready in {time.monotonic() - started:.0f} s."))
        self.stdout.write(summary)

    # --- safety --------------------------------------------------------------------------------------------

    def _check_it_is_safe(self, force: bool) -> None:
        from chat.models import Message
        from forum.models import Post
        from members.models import User

        if force:
            return
        if not settings.DEBUG:
            raise CommandError(
                "seed_bench fills the database with made-up members and posts, so it runs only with the dev "
                "settings (DEBUG on). If this really is a throwaway benchmark database, add --force."
            )
        found = {"members": User.objects.exists(), "posts": Post.objects.exists(), "messages": Message.objects.exists()}
        if any(found.values()):
            what = ", ".join(name for name, present in found.items() if present)
            raise CommandError(
                f"This database already has {what}; seed_bench adds to an empty one so that every run gives the "
                "same rows. Point DATABASE_URL at a new database and run `manage.py migrate` first, or add --force "
                "to add to this one anyway."
            )

    # --- the data set --------------------------------------------------------------------------------------

    def _seed(self, opts) -> None:
        from members.setup import ensure_roles_and_groups
        from resources.services import ensure_resource_root

        with transaction.atomic():
            ensure_roles_and_groups()
            ensure_resource_root()
            start = SPIRIT_START if opts["spirit_like"] else DEFAULT_START
            self.staff, self.members = self._make_members(
                opts["members"], joined_before=start, teens=not opts["spirit_like"]
            )
            self.categories = []
        if opts["spirit_like"]:
            self._spirit_like_forum(opts["seed"])
        elif opts["topics"]:
            self._default_forum(opts)
        if opts["big_category"]:
            self._big_category(opts["big_category_topics"], start)
        if opts["rooms"]:
            self._chat(opts["rooms"], opts["messages"], start)

    def _make_members(self, n: int, *, joined_before: datetime, teens: bool):
        from allauth.account.models import EmailAddress
        from django.contrib.auth.models import Group

        from members.models import ProgrammeGroup, ProgrammeMembership, Role, User, clinic_year

        groups = {g.slug: g for g in ProgrammeGroup.objects.all()}
        adult_groups = [g for g in groups.values() if not g.for_teens]
        teen_year = clinic_year() - 15
        staff = User(
            email=STAFF_EMAIL,
            display_name="Bench staff",
            year_of_birth=1975,
            approved_at=joined_before - timedelta(days=900),
            date_joined=joined_before - timedelta(days=900),
            email_verified=True,
        )
        people = [staff]
        for i in range(n):
            joined = joined_before - timedelta(days=30 + self.rng.randint(0, 700), minutes=self.rng.randint(0, 1439))
            # One in 25 is a teen (the teen spaces need their own members); none of the first ten, whom the
            # bench signs in and who must see the adult spaces, and none in Spirit's set (it has no teens).
            teen = teens and i >= 10 and i % 25 == 0
            people.append(
                User(
                    email=EMAIL.format(n=i),
                    display_name=f"{NAMES[i % len(NAMES)]} {i}",
                    year_of_birth=teen_year if teen else self.rng.randint(1950, 2000),
                    approved_at=joined,
                    date_joined=joined,
                    email_verified=True,
                )
            )
        for person in people:
            # Nobody signs in with a password here (bench sessions are made directly); hashing 1,000 would take
            # minutes. An unusable password is still a random one.
            person.set_unusable_password()
        User.objects.bulk_create(people, batch_size=BATCH)
        people = list(User.objects.filter(email__endswith="@bench.invalid").order_by("pk"))
        staff, members = people[0], people[1:]
        role = {name: Group.objects.get(name=name) for name in (Role.MEMBER, Role.STAFF)}
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=staff.pk, group_id=role[Role.STAFF].pk)]
            + [through(user_id=m.pk, group_id=role[Role.MEMBER].pk) for m in members]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people], batch_size=BATCH
        )
        teen_group = groups.get("teen-group")
        ProgrammeMembership.objects.bulk_create(
            [
                ProgrammeMembership(
                    user=m, group=teen_group if m.year_of_birth == teen_year else adult_groups[i % len(adult_groups)]
                )
                for i, m in enumerate(members)
                if adult_groups and teen_group
            ],
            batch_size=BATCH,
        )
        return staff, members

    def _category(self, name: str, position: int, audience: str = "adults", group_slugs=()):
        from forum import services
        from members.models import ProgrammeGroup

        groups = list(ProgrammeGroup.objects.filter(slug__in=group_slugs))
        category = services.create_category(
            actor=self.staff,
            name=name,
            description=f"Bench category: {name.lower()}.",
            audience=audience,
            programme_groups=groups,
            position=position,
        )
        self.categories.append(category)
        return category

    def _readers_of(self, category) -> list:
        """Members inside the category's audience (authors and readers must be able to see it)."""
        from members.audience import Audience, in_audience
        from members.models import ProgrammeMembership

        if category.audience == Audience.GROUPS:
            # in_audience would ask the database once per member for a programme-group space.
            groups = category.programme_groups.all()
            ids = set(ProgrammeMembership.objects.filter(group__in=groups).values_list("user_id", flat=True))
            return [m for m in self.members if m.pk in ids and not m.is_teen]
        return [m for m in self.members if in_audience(m, category)]

    def _spirit_like_forum(self, seed: int) -> None:
        category = self._category("Bench", 1)
        plan = [
            dict(
                title=topic["title"],
                times=[topic["created"] + timedelta(minutes=p["minute"]) for p in topic["posts"]],
                authors=[self.members[p["author"]] for p in topic["posts"]],
                texts=[(p["body"], p["html"]) for p in topic["posts"]],
            )
            for topic in spirit_like_plan(seed)
        ]
        self._write_topics(category, plan, reactions=False, read_states=False)

    def _default_forum(self, opts) -> None:
        layout = [
            ("Everyday recovery", "adults", ()),
            ("Welcome and introductions", "adults", ()),
            ("Work, money and home", "adults", ()),
            ("Milestones", "adults", ()),
            ("Structured Outpatient alumni", "groups", ("structured-outpatient",)),
            ("Relapse Prevention alumni", "groups", ("relapse-prevention",)),
            ("Dual Diagnosis alumni", "groups", ("dual-diagnosis",)),
            ("Women's Mental Wellness alumni", "groups", ("womens-mental-wellness",)),
            ("Teen lounge", "teens", ()),
        ]
        categories = [self._category(name, n + 1, audience, slugs) for n, (name, audience, slugs) in enumerate(layout)]
        topics, posts, long_posts = opts["topics"], opts["posts"], opts["long_topic_posts"]
        # Every topic has its opening post; the long topic takes its share; the rest fall on topics unevenly, as
        # in a real forum (a few long threads, many short ones).
        # One topic in a hundred waits for review (its opening post alone, so no replies), one in two hundred is
        # hidden by a moderator.
        held = [i % 100 == 50 for i in range(topics)]
        counts = [long_posts] + [1] * (topics - 1)
        if topics > 1:
            weights = [0.0 if held[k] else self.rng.expovariate(1.0) ** 2 for k in range(1, topics)]
            for k in self.rng.choices(range(1, topics), weights=weights, k=posts - long_posts - (topics - 1)):
                counts[k] += 1
        span = timedelta(days=365)
        per_category: dict[int, list] = {c.pk: [] for c in categories}
        for i, count in enumerate(counts):
            # The long topic and most others go to the big adult categories; a fifth to the group and teen ones.
            category = (
                categories[0] if i == 0 else categories[self.rng.choices(range(9), [6, 3, 3, 2, 1, 1, 1, 1, 1])[0]]
            )
            readers = self._readers_of_cached(category)
            created = DEFAULT_START + span * i / max(1, topics) + timedelta(minutes=self.rng.randint(0, 600))
            times, at = [], created
            for _ in range(count):
                times.append(at)
                at += timedelta(minutes=self.rng.randint(1, 3 if i == 0 else 240))
            authors = self.rng.choices(readers, k=count)
            per_category[category.pk].append(
                dict(title=self.text.title(), times=times, authors=authors, held=held[i], hidden=i % 200 == 150)
            )
        for category in categories:
            self._write_topics(category, per_category[category.pk], reactions=True, read_states=True)

    def _readers_of_cached(self, category):
        cache = self.__dict__.setdefault("_readers", {})
        if category.pk not in cache:
            cache[category.pk] = self._readers_of(category)
        return cache[category.pk]

    def _big_category(self, n: int, start: datetime) -> None:
        category = self._category("Big category", 0)
        readers = self._readers_of(category)
        plan = []
        for i in range(n):
            created = start + timedelta(minutes=30 * i)
            count = 1 if i % 500 == 250 else 1 + i % 3
            plan.append(
                dict(
                    title=f"Big {i}: {self.text.title()}",
                    times=[created + timedelta(minutes=j) for j in range(count)],
                    authors=[readers[(i + j) % len(readers)] for j in range(count)],
                    # A few waiting for review (the authors see them in the list) and a few hidden by moderators.
                    held=i % 500 == 250,
                    hidden=i % 1000 == 750,
                )
            )
        self._write_topics(category, plan, reactions=False, read_states=True)

    def _write_topics(self, category, plan: list[dict], *, reactions: bool, read_states: bool) -> None:
        """Topics, posts, the authors' watches and the counters for one category, then the search index."""
        from forum.models import ContentState, Post, Subscription, Topic
        from forum.services import HELD_REASON

        visible, held_state, hidden = ContentState.VISIBLE, ContentState.HELD, ContentState.HIDDEN
        with transaction.atomic():
            topics = []
            for spec in plan:
                state = held_state if spec.get("held") else hidden if spec.get("hidden") else visible
                # A held topic is its held opening post alone: nothing visible yet (as services.create_topic).
                if state == held_state:
                    spec["times"], spec["authors"] = spec["times"][:1], spec["authors"][:1]
                count = len(spec["times"])
                # Hidden by a moderator: its opening post is hidden, the replies stay visible (as the services do).
                first_visible = {held_state: count + 1, hidden: 2}.get(state, 1)
                last_visible = count if count >= first_visible else 0
                topics.append(
                    Topic(
                        category=category,
                        title=spec["title"][:200],
                        author=spec["authors"][0],
                        state=state,
                        created_at=spec["times"][0],
                        last_position=count,
                        reply_count=max(0, count - first_visible),
                        last_post_at=spec["times"][-1],
                        last_poster=spec["authors"][-1] if last_visible else None,
                        last_visible_position=last_visible,
                    )
                )
            Topic.objects.bulk_create(topics, batch_size=BATCH)
            Subscription.objects.bulk_create(
                [Subscription(user_id=t.author_id, topic=t, level=Subscription.Level.WATCHING) for t in topics],
                batch_size=BATCH,
            )
            total = sum(len(s["times"]) for s in plan)
            bar = self.progress(f"{category.name}: posts", total)
            buffer: list = []
            for topic, spec in zip(topics, plan, strict=True):
                for j, (at, author) in enumerate(zip(spec["times"], spec["authors"], strict=True)):
                    body, html = spec["texts"][j] if "texts" in spec else self.text.post()
                    held = topic.state == held_state
                    state = topic.state if j == 0 else visible
                    post = Post(
                        topic=topic,
                        position=j + 1,
                        author=author,
                        body=body,
                        html=html,
                        created_at=at,
                        published_at=None if held else at,
                        state=state,
                        state_reason={held_state: HELD_REASON, hidden: "Hidden for review."}.get(state, ""),
                        state_changed_by=self.staff if state == hidden else None,
                    )
                    buffer.append(post)
                    if len(buffer) >= BATCH:
                        self._write_posts(buffer, reactions=reactions)
                        bar.update(len(buffer))
                        buffer = []
            if buffer:
                self._write_posts(buffer, reactions=reactions)
                bar.update(len(buffer))
            bar.close()
            if read_states:
                self._write_read_states(topics)
            from forum import services

            services.refresh_category_stats(category=category)

    def _write_posts(self, posts: list, *, reactions: bool) -> None:
        from forum.models import Bookmark, Post, Reaction

        Post.objects.bulk_create(posts)
        _index_posts(posts)
        if not reactions:
            return
        kinds = [k for k, _ in Reaction.Kind.choices]
        rows, marks = [], []
        for post in posts:
            if post.state != "visible":
                continue
            if self.rng.random() < 0.35:
                for user in self.rng.sample(self.members, self.rng.randint(1, 3)):
                    if user.pk != post.author_id:
                        rows.append(
                            Reaction(post=post, user=user, kind=self.rng.choice(kinds), created_at=post.created_at)
                        )
            if self.rng.random() < 0.02:
                marks.append(Bookmark(post=post, user=self.rng.choice(self.members[:50]), created_at=post.created_at))
        Reaction.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        Bookmark.objects.bulk_create(marks, batch_size=BATCH, ignore_conflicts=True)

    def _write_read_states(self, topics: list) -> None:
        """The first 50 members (the bench signs them in) have read part of some topics, to the end of others."""
        from forum.models import ReadState

        rows = []
        readable = [t for t in topics if t.state == "visible"]
        for member in self.members[:50]:
            for topic in self.rng.sample(readable, min(len(readable), max(1, len(readable) // 10))):
                upto = topic.last_position if self.rng.random() < 0.6 else self.rng.randint(1, topic.last_position)
                rows.append(ReadState(user=member, topic=topic, last_read_position=upto, updated_at=topic.last_post_at))
        ReadState.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)

    def _chat(self, rooms: int, messages: int, start: datetime) -> None:
        from chat import services
        from chat.models import Message, Room
        from members.models import ProgrammeGroup

        made = []
        with transaction.atomic():
            for r in range(rooms):
                # One teen room and one programme-group room among them; the rest for all adults.
                audience, groups = ("teens", []) if r == rooms - 1 and rooms > 2 else ("adults", [])
                if r == rooms - 2 and rooms > 2:
                    audience, groups = "groups", list(ProgrammeGroup.objects.filter(slug="relapse-prevention"))
                room = services.save_room(
                    actor=self.staff,
                    room=None,
                    fields={"name": f"Bench room {r}", "slug": f"bench-room-{r}", "audience": audience},
                    programme_groups=groups,
                )
                made.append(room)
        bar = self.progress("chat messages", messages)
        with transaction.atomic():
            per_room = [messages // rooms + (1 if r < messages % rooms else 0) for r in range(rooms)]
            for room, count in zip(made, per_room, strict=True):
                speakers = self._readers_of(room)[:60] or self.members[:1]
                at = start
                buffer = []
                for seq in range(1, count + 1):
                    at += timedelta(seconds=self.rng.randint(5, 600))
                    body, html = self.text.line()
                    buffer.append(
                        Message(
                            room=room, seq=seq, author=self.rng.choice(speakers), body=body, html=html, created_at=at
                        )
                    )
                    if len(buffer) >= BATCH:
                        Message.objects.bulk_create(buffer)
                        bar.update(len(buffer))
                        buffer = []
                Message.objects.bulk_create(buffer)
                bar.update(len(buffer))
                Room.objects.filter(pk=room.pk).update(last_seq=count)
        bar.close()

    def _summary(self) -> str:
        from chat.models import Message, Room
        from forum.models import Category, Post, Topic

        long_topic = Topic.objects.order_by("-last_position", "pk").first()
        lines = [
            f"  members: {len(self.members)} ({EMAIL.format(n='N')}, N from 0; the first 10 are adults)",
            f"  categories: {Category.objects.count()}, topics: {Topic.objects.count()}, posts: {Post.objects.count()}",
            f"  rooms: {Room.objects.count()}, chat messages: {Message.objects.count()}",
            f"  database: {connection.vendor} {connection.settings_dict['NAME']}",
        ]
        if long_topic:
            lines.append(f"  longest topic: /forum/t/{long_topic.pk}/ ({long_topic.last_position} posts)")
        for category in Category.objects.order_by("position", "pk"):
            lines.append(f"  /forum/c/{category.slug}/ ({category.topic_count} visible topics)")
        return "\n".join(lines)


def spirit_like_plan(seed: int = DEFAULT_SEED) -> list[dict]:
    """Spirit's comparison set as plain data, for seed_bench --spirit-like and for bench/spirit_side_by_side.py,
    which builds the same rows in Spirit: 200 topics an hour apart from 2024-01-01 UTC, topic 0 with 1,000 posts,
    topic 1 with 20, the others 5; post j of topic i by member (i + j) % 50, a minute after the one before it."""
    text = TextMaker(random.Random(seed + 1))
    topics = []
    for i in range(200):
        count = 1000 if i == 0 else 20 if i == 1 else 5
        posts = [{"minute": j, "author": (i + j) % 50} for j in range(count)]
        topics.append(
            {"title": f"Topic {i}: {text.title()}", "created": SPIRIT_START + timedelta(hours=i), "posts": posts}
        )
    for topic in topics:
        for post in topic["posts"]:
            post["body"], post["html"] = text.post()
    return topics


def _index_posts(posts: list) -> None:
    """Into the forum's search index through the backend's bulk call (SQLite: the index entries, whose triggers
    fill the FTS5 table; PostgreSQL: the search vectors). Posts carry their topic, which gives the opening post
    its title."""
    from wagtail.search.backends import get_search_backend

    from forum.models import Post

    get_search_backend().add_bulk(Post, posts)


def _progress_factory(stream):
    """A tqdm bar on standard error (tqdm is pinned in requirements-dev.txt); a start and an end line without it."""
    try:
        from tqdm import tqdm
    except ImportError:
        return lambda desc, total: _Plain(desc, stream)
    return lambda desc, total: tqdm(desc=desc, total=total, unit=" rows", file=stream._out, mininterval=0.5)


class _Plain:
    def __init__(self, desc: str, stream):
        self.desc, self.stream = desc, stream
        self.stream.write(f"{desc} ...")

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        self.stream.write(f"{self.desc}: done")
