"""Screening: everything members write is checked against the watched words that staff keep.

Feature apps call `screen_text(text)` before they store a topic, reply, edit, chat message or display name,
and act on the `ScreenResult` it returns. Staff change the list through `moderation.services`.

How a text is compared (the same for every entry, and for the entry's own phrase):

* Unicode is folded (compatibility forms, case, the common accents), invisible characters such as
  zero-width spaces and soft hyphens are dropped;
* apostrophes of every kind are dropped, so "don't", "don’t" and "dont" are the same word;
* every other run of punctuation, symbols, underscores, spaces and line breaks becomes one space.

So "Kill   myself!", "kill... myself" and "KILL\\nmyself" all read "kill myself". A phrase matches whole
words only ("kill myself" is not found in "skill myselfie") and tolerates a letter stretched to three or
more ("diiiie", "killll"). A pattern (regular expression) is matched against the same normalised text, also
as whole words; when the text has stretched letters it is also tried with them squeezed to one and to two.

What one result means (precedence, strongest first: block > hold > crisis > flag):

* `action` is the fate of the text: `block` (refused, the entry's note is the reason shown), `hold`
  (stored, published only after review), `crisis` (published or held per the site's setting, help shown,
  urgent review item), `flag` (published and queued), or None.
* `crisis` is reported on its own and is never hidden by a stronger action: a text that is both blocked
  and crisis has `action == "block"` and `crisis is True`, so the writer still sees help at once and the
  team is still alerted (with the refused text as the snapshot, since nothing was published). Callers must
  check `result.crisis` whatever the action is.

Speed: the active entries are compiled once per process and kept until the list changes. The list's
version stamp lives in Django's cache, so an edit made in one server process is seen by every other on its
next call; a call costs one cache read and no query. For each entry, the parsed pattern also gives a few
literal fragments of which any match must contain one ("kill", " to die"); a text is searched only with the
entries whose fragment it contains, and entries without such fragments are joined into one expression per
action. (One expression joining every entry was measured first: CPython's engine tries each alternative at
each position, about 11 microseconds per character with the seeded list, so 0.2 s for a 20,000-character
post. With the fragments, a typical chat message takes about 0.3 ms and a 20,000-character post about
15 ms on a shared 2-core machine.)

Staff patterns are refused when they could take a long time on a hostile text (nested or ambiguous
repetition, back-references) or when they would match everyday text; see `validate_watched_word`.
"""

import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

# Private, but the parser Python itself uses is the only sound way to see a pattern's structure (3.11+).
from re import _constants as sre
from re import _parser as sre_parse

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import WatchedWord

logger = logging.getLogger(__name__)

Action = WatchedWord.Action
Kind = WatchedWord.Kind

# Strongest first. Block and hold decide what happens to the text; crisis outranks flag because it also opens
# a review item (an urgent one) and shows help. Crisis is also reported separately (ScreenResult.crisis).
PRECEDENCE: tuple[str, ...] = (Action.BLOCK.value, Action.HOLD.value, Action.CRISIS.value, Action.FLAG.value)

MAX_PATTERN_LENGTH = 500
MAX_REPEAT_COUNT = 100
VERSION_KEY = "moderation:screening:version"
DEFAULT_BLOCK_REASON = "This includes words that are not allowed here. Please rephrase and try again."

# Everyday text no sensible entry should match: an entry that does would catch nearly every message.
EVERYDAY_SAMPLES = (
    "Hello everyone, how was your week? We went for a walk and had a good talk about the weekend.",
    "Thanks for sharing. I went to my meeting today and I feel a bit better.",
)


# --- Normalisation --------------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]")
_APOSTROPHES = re.compile("['\u2018\u2019\u201b\u02bb\u02bc\u02bd\u0060\u00b4\u2032\uff07]")
_ACCENTS = re.compile("[\u0300-\u036f]")
_SEPARATORS = re.compile(r"[\W_]+")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
_RUNS = re.compile(r"(.)\1*", re.DOTALL)


def normalise(text: str) -> str:
    """The form in which texts and entries are compared: lower case, words separated by single spaces."""
    text = _APOSTROPHES.sub("", _INVISIBLE.sub("", text))
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text)).casefold()
    return _SEPARATORS.sub(" ", text).strip()


def _prepared(text: str) -> str:
    # The leading space lets every entry start with a literal space instead of a look-behind for a word
    # boundary: the same rule (normalised words are separated by exactly one space), and CPython's engine
    # can then skip ahead to the next space instead of trying every position (about ten times faster).
    return " " + normalise(text)


def _variants(prepared: str) -> tuple[str, ...]:
    # Patterns are not stretch-tolerant by themselves, so a stretched text is also tried squeezed. Rare texts
    # only: most have no letter three times in a row.
    if not _STRETCHED.search(prepared):
        return (prepared,)
    return (prepared, _STRETCHED.sub(r"\1", prepared), _STRETCHED.sub(r"\1\1", prepared))


def _whole_words(expression: str) -> str:
    return rf" (?:{expression})(?!\w)"


def phrase_expression(phrase: str) -> str:
    """The regular expression for a phrase: its normalised words, whole, with stretched letters allowed.

    A single letter matches itself or three or more of itself ("die", "diiie", not "diie"), so that "god" does
    not match "good"; a doubled letter matches two or more ("kill", "killll").
    """
    parts = []
    for run in _RUNS.finditer(normalise(phrase)):
        char, count = run.group(1), len(run.group(0))
        escaped = re.escape(char)
        if char == " " or not char.isalpha():
            parts.append(escaped * count)
        elif count == 1:
            parts.append(f"{escaped}(?:{escaped}{escaped}+)?")
        else:
            parts.append(f"{escaped}{{{count},}}")
    return _whole_words("".join(parts))


def entry_expression(kind: str, pattern: str) -> str:
    return phrase_expression(pattern) if kind == Kind.PHRASE else _whole_words(pattern)


def _flags(kind: str, pattern: str) -> int:
    # Texts are already case-folded, so ignoring case is only needed for a pattern with capitals in it, and
    # it would stop the engine's fast skipping for the others.
    return re.IGNORECASE if kind == Kind.REGEX and pattern != pattern.lower() else 0


def _compile_entry(kind: str, pattern: str) -> re.Pattern:
    return re.compile(entry_expression(kind, pattern), _flags(kind, pattern))


# --- Validation (staff input) -----------------------------------------------------------------------------


def validate_watched_word(*, kind: str, pattern: str) -> str:
    """Return the cleaned pattern, or raise ValidationError saying plainly what to change.

    Patterns are refused when they could be slow on a long or hostile text: repetition inside repetition
    (`(a+)+`) unless the inner one is possessive (`\\w++`) or atomic (`(?>...)`), alternatives inside an
    unlimited repetition (`(a|ab)*`), an unlimited `.*`, back-references, counts over 100, and anything over
    500 characters. Texts are compared in normalised form (see the module docstring), so a pattern is
    written for lower-case words separated by single spaces, with no apostrophes or punctuation.
    """
    if kind not in Kind.values:
        raise ValidationError("Choose whether this is a phrase or a pattern.", code="kind")
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValidationError("Please enter a phrase or pattern.", code="required")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValidationError(
            f"Please keep it to {MAX_PATTERN_LENGTH} characters or fewer (this one has {len(pattern)}).",
            code="too_long",
        )
    if kind == Kind.PHRASE:
        if not normalise(pattern):
            raise ValidationError("A phrase needs at least one letter or number.", code="empty")
    else:
        _validate_regex(pattern)
    compiled = _compile_entry(kind, pattern)
    for sample in EVERYDAY_SAMPLES:
        if compiled.search(_prepared(sample)):
            raise ValidationError(
                f"This would match everyday text such as “{sample}”. Please make it more specific.",
                code="too_broad",
            )
    return pattern


def _validate_regex(pattern: str) -> None:
    try:
        re.compile(_whole_words(pattern))
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        where = f" (near character {exc.pos + 1})" if exc.pos is not None else ""
        raise ValidationError(
            f"This is not a valid regular expression: {exc.msg}{where}.", code="invalid_regex"
        ) from exc
    except RecursionError as exc:
        raise ValidationError("This pattern is nested too deeply.", code="too_complex") from exc
    _check_structure(parsed, inside_repeat=False)
    if any(op == sre.AT and av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING) for op, av in _walk(parsed)):
        raise ValidationError("Patterns are looked for anywhere in a text; please leave out ^ and \\A.", code="anchor")
    if re.compile(pattern, re.IGNORECASE).fullmatch(""):
        raise ValidationError("This pattern matches an empty text, so it would match every message.", code="empty")


def _too_slow(message: str) -> ValidationError:
    return ValidationError(f"This pattern could be very slow on some texts: {message}", code="too_complex")


def _check_structure(items, *, inside_repeat: bool) -> None:
    # Catastrophic backtracking needs a repetition that can split the same text in many ways: a repeat
    # inside a repeat, or a repeat over overlapping alternatives. Refusing those keeps every pattern roughly
    # linear on any text.
    for op, av in items:
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            raise ValidationError("Back-references (like \\1) are not supported here.", code="backreference")
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, body = av
            if low > MAX_REPEAT_COUNT or (high != sre.MAXREPEAT and high > MAX_REPEAT_COUNT):
                raise _too_slow(f"please keep repeat counts to {MAX_REPEAT_COUNT} or fewer.")
            repeats = high > 1
            if op != sre.POSSESSIVE_REPEAT and repeats and inside_repeat:
                raise _too_slow(
                    "a repeated part contains another repeated part. Make the inner one possessive "
                    "(for example \\w++ instead of \\w+) or give the outer one a small limit with no inner repeat."
                )
            if repeats and high == sre.MAXREPEAT:
                if any(sub_op == sre.ANY for sub_op, _ in body):
                    raise _too_slow("an unlimited .* or .+ can scan the whole text; use a limit such as .{0,40}.")
                if _has_alternatives(body):
                    raise _too_slow("alternatives (a|b) inside an unlimited repeat; use a limit such as {0,5}.")
            _check_structure(body, inside_repeat=inside_repeat or repeats)
        elif op == sre.ATOMIC_GROUP:
            # Nothing inside an atomic group is backtracked into from outside, so it starts afresh.
            _check_structure(av, inside_repeat=False)
        elif op == sre.SUBPATTERN:
            _check_structure(av[-1], inside_repeat=inside_repeat)
        elif op == sre.BRANCH:
            for branch in av[1]:
                _check_structure(branch, inside_repeat=inside_repeat)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _check_structure(av[1], inside_repeat=inside_repeat)


def _walk(items):
    """Every (op, av) in a parsed pattern, nested ones included."""
    for op, av in items:
        yield op, av
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            yield from _walk(av[2])
        elif op == sre.ATOMIC_GROUP:
            yield from _walk(av)
        elif op == sre.SUBPATTERN:
            yield from _walk(av[-1])
        elif op == sre.BRANCH:
            for branch in av[1]:
                yield from _walk(branch)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _walk(av[1])


def _has_alternatives(items) -> bool:
    for op, av in items:
        if op == sre.BRANCH:
            return True
        if op == sre.SUBPATTERN and _has_alternatives(av[-1]):
            return True
    return False


# --- Results ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchedMatch:
    id: int
    kind: str
    pattern: str
    action: str
    note: str
    label: str = ""


@dataclass(frozen=True)
class ScreenResult:
    """What screening found. `action` is the strongest action; check `crisis` on its own (see module doc)."""

    action: str | None = None
    matches: tuple[WatchedMatch, ...] = field(default=())

    @property
    def crisis(self) -> bool:
        return any(m.action == Action.CRISIS for m in self.matches)

    @property
    def blocked(self) -> bool:
        return self.action == Action.BLOCK

    @property
    def held(self) -> bool:
        return self.action == Action.HOLD

    @property
    def block_reason(self) -> str:
        """The words shown to a writer whose text was refused: the notes of the entries that blocked it."""
        notes = list(dict.fromkeys(m.note for m in self.matches if m.action == Action.BLOCK and m.note))
        return " ".join(notes) or DEFAULT_BLOCK_REASON

    def matches_for(self, action: str) -> tuple[WatchedMatch, ...]:
        return tuple(m for m in self.matches if m.action == action)


CLEAR = ScreenResult()


# --- The compiled list and its cache ---------------------------------------------------------------------


@dataclass
class _Entry:
    match: WatchedMatch
    regex: re.Pattern
    # Fragments of which any match must contain at least one; empty when none could be found (always tried).
    needles: tuple[str, ...]
    # A phrase's needle is looked for in the text with every run of a letter cut to one ("killll" -> "kil"),
    # because the phrase tolerates stretched letters.
    in_deduped: bool


@dataclass
class _Compiled:
    version: str | None
    filtered: list[_Entry]
    # Per action, the entries without needles, joined into one expression (None if they cannot be joined).
    unfiltered: dict[str, tuple[re.Pattern | None, list[_Entry]]]

    @property
    def empty(self) -> bool:
        return not self.filtered and not self.unfiltered


_compiled: _Compiled | None = None
_DUPLICATES = re.compile(r"(.)\1+", re.DOTALL)
MIN_NEEDLE = 3


def _dedupe(text: str) -> str:
    return _DUPLICATES.sub(r"\1", text)


def _phrase_needles(phrase: str) -> tuple[str, ...]:
    longest = max(normalise(phrase).split(" "), key=len)
    needle = _dedupe(longest)
    return (needle,) if len(needle) >= MIN_NEEDLE else ()


def _regex_needles(pattern: str) -> tuple[str, ...]:
    try:
        options = _required(sre_parse.parse(pattern))
    except (re.error, RecursionError):
        return ()
    if not options or min(len(n) for n in options) < MIN_NEEDLE:
        return ()
    return tuple(sorted(options))


def _required(items) -> set[str] | None:
    """Literal fragments of which every match of this sequence contains at least one, or None if unknown.

    The sequence's literal runs and its groups each give a candidate set; the most selective one is kept
    (the longest shortest fragment). Alternatives give the union of their sets, and only if each has one.
    """
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run():
        if run:
            candidates.append({"".join(run).lower()})
            run.clear()

    for op, av in items:
        if op == sre.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        found = None
        if op == sre.SUBPATTERN:
            found = _required(av[-1])
        elif op == sre.ATOMIC_GROUP:
            found = _required(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _required(av[2])
        elif op == sre.BRANCH:
            branches = [_required(branch) for branch in av[1]]
            if all(branches):
                found = set().union(*branches)
        if found:
            candidates.append(found)
    close_run()
    if not candidates:
        return None
    return max(candidates, key=lambda option: (min(len(n) for n in option), -len(option)))


def _compile(version: str | None) -> _Compiled:
    filtered: list[_Entry] = []
    loose: dict[str, list[_Entry]] = {}
    rows = WatchedWord.objects.filter(is_active=True).values_list("id", "kind", "pattern", "action", "note", "label")
    for pk, kind, pattern, action, note, label in rows:
        if action not in PRECEDENCE:
            continue
        try:
            regex = _compile_entry(kind, pattern)
        except re.error:
            # Staff input is validated; a bad row can only come from outside the services. Skip it, loudly,
            # rather than stop screening everything else.
            logger.error("Watched word %s has an invalid pattern and is skipped.", pk)
            continue
        is_phrase = kind == Kind.PHRASE
        needles = _phrase_needles(pattern) if is_phrase else _regex_needles(pattern)
        entry = _Entry(WatchedMatch(pk, kind, pattern, action, note, label), regex, needles, is_phrase)
        (filtered if needles else loose.setdefault(action, [])).append(entry)
    unfiltered = {}
    for action, items in loose.items():
        try:
            flags = max(e.regex.flags & re.IGNORECASE for e in items)
            combined = re.compile("|".join(e.regex.pattern for e in items), flags)
        except re.error:
            # Two patterns can clash when joined (the same group name twice); then each is tried alone.
            combined = None
        unfiltered[action] = (combined, items)
    return _Compiled(version=version, filtered=filtered, unfiltered=unfiltered)


def _shared_version() -> str | None:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # First call since the cache was emptied: agree on a stamp (add() keeps the first writer's).
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    except Exception:  # an unreachable cache must not stop screening
        logger.warning("Screening could not read its version stamp; using this process's copy.", exc_info=True)
        return _compiled.version if _compiled is not None else None


def _current() -> _Compiled:
    global _compiled
    version = _shared_version()
    compiled = _compiled
    if compiled is None or compiled.version != version:
        # The stamp is read before the rows, so an edit landing in between only causes one more recompile.
        compiled = _compiled = _compile(version)
    return compiled


def _bump() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache outage must not undo the staff member's edit; it is logged
        logger.warning("Screening could not publish a new version stamp.", exc_info=True)


def announce_change() -> None:
    """Make every process recompile the list on its next call. Call it inside the editing transaction.

    The stamp changes now (so this process and this transaction see the edit at once) and again after
    commit (so that another process which recompiled in between, still seeing the old rows, does so again).
    """
    global _compiled
    _compiled = None
    _bump()
    transaction.on_commit(_bump)


# --- Screening --------------------------------------------------------------------------------------------


def screen_text(text: str | None) -> ScreenResult:
    """Check one text against the active watched words. Call from synchronous code (it may query once)."""
    if text is None:
        return CLEAR
    if not isinstance(text, str):
        raise TypeError(f"screen_text() takes a str, not {type(text).__name__}.")
    if not text.strip():
        return CLEAR
    compiled = _current()
    if compiled.empty:
        return CLEAR
    variants = _variants(_prepared(text))
    deduped = None
    found: list[WatchedMatch] = []
    for entry in compiled.filtered:
        if entry.in_deduped:
            if deduped is None:
                deduped = _dedupe(variants[0])
            haystacks = (deduped,)
        else:
            haystacks = variants
        if any(needle in hay for needle in entry.needles for hay in haystacks) and any(
            entry.regex.search(v) for v in variants
        ):
            found.append(entry.match)
    for combined, entries in compiled.unfiltered.values():
        if combined is None or any(combined.search(v) for v in variants):
            found.extend(e.match for e in entries if any(e.regex.search(v) for v in variants))
    if not found:
        return CLEAR
    found.sort(key=lambda m: (PRECEDENCE.index(m.action), m.id))
    strongest = next(action for action in PRECEDENCE if any(m.action == action for m in found))
    return ScreenResult(action=strongest, matches=tuple(found))
