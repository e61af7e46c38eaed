"""Screening: the watched-word engine, the seeded crisis list, and how edits reach every process."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from moderation import screening, services
from moderation.models import WatchedWord
from moderation.screening import screen_text

from .crisis_corpus import MUST_NOT_TRIGGER, MUST_TRIGGER

pytestmark = pytest.mark.django_db


@pytest.fixture
def watch(staff):
    def add(pattern, action="flag", kind="phrase", note=""):
        return services.add_watched_word(actor=staff, kind=kind, pattern=pattern, action=action, note=note)

    return add


# --- The crisis list against the corpus --------------------------------------------------------------------


def test_corpus_is_big_enough():
    assert len(MUST_TRIGGER) >= 40
    assert len(MUST_NOT_TRIGGER) >= 30
    assert not set(MUST_TRIGGER) & set(MUST_NOT_TRIGGER)


def test_crisis_recall_and_false_alarm_rate():
    """Run with -s to see the figures (they go in the README)."""
    missed = [text for text in MUST_TRIGGER if not screen_text(text).crisis]
    alarms = [text for text in MUST_NOT_TRIGGER if screen_text(text).action is not None]
    recall = (len(MUST_TRIGGER) - len(missed)) / len(MUST_TRIGGER)
    false_alarm_rate = len(alarms) / len(MUST_NOT_TRIGGER)
    print(
        f"\nCrisis screening: recall {recall:.1%} ({len(MUST_TRIGGER) - len(missed)}/{len(MUST_TRIGGER)}), "
        f"false alarms {false_alarm_rate:.1%} ({len(alarms)}/{len(MUST_NOT_TRIGGER)}), "
        f"{WatchedWord.objects.filter(action='crisis').count()} crisis entries"
    )
    assert not missed, "Crisis sentences missed:\n" + "\n".join(missed)
    assert not alarms, "False alarms:\n" + "\n".join(alarms)


def test_the_seeded_list_is_there_and_every_entry_passes_the_staff_rules():
    seeded = WatchedWord.objects.filter(action="crisis", created_by=None)
    assert seeded.count() >= 60
    for word in seeded:
        # Staff must be able to save any seeded entry they edit, so it obeys the same rules as theirs.
        assert screening.validate_watched_word(kind=word.kind, pattern=word.pattern) == word.pattern
        assert word.label.startswith("Crisis: ")


@pytest.mark.parametrize(
    "word", ["die", "dead", "death", "suicide", "suicidal", "overdose", "kill", "cut", "pills", "goodbye", "hurt"]
)
def test_no_single_word_raises_a_crisis(word):
    assert not screen_text(word).crisis
    assert not screen_text(f"We talked about {word} in group today.").crisis


# --- Actions and precedence ---------------------------------------------------------------------------------


def test_each_action_is_reported(watch):
    watch("purple monkey", action="block", note="Please leave the monkeys out of it.")
    watch("green parrot", action="hold")
    watch("blue whale", action="flag")
    watch("red balloon", action="crisis")

    blocked = screen_text("I saw a purple monkey.")
    assert blocked.action == "block" and blocked.blocked
    assert blocked.block_reason == "Please leave the monkeys out of it."
    assert screen_text("A green parrot!").action == "hold"
    assert screen_text("A green parrot!").held
    assert screen_text("The blue whale sings").action == "flag"
    crisis = screen_text("my red balloon")
    assert crisis.action == "crisis" and crisis.crisis
    assert screen_text("Nothing to see here").action is None


def test_a_blocked_text_still_reports_crisis_so_help_is_shown(watch):
    watch("purple monkey", action="block", note="Not here, please.")
    result = screen_text("purple monkey. I want to kill myself")
    assert result.action == "block"
    assert result.crisis, "a crisis match must never be hidden by a stronger action"
    assert {m.action for m in result.matches} == {"block", "crisis"}


def test_precedence_is_block_hold_crisis_flag(watch):
    watch("alpha word", action="flag")
    watch("beta word", action="crisis")
    watch("gamma word", action="hold")
    watch("delta word", action="block")
    assert screen_text("alpha word beta word").action == "crisis"
    assert screen_text("alpha word beta word gamma word").action == "hold"
    assert screen_text("alpha word beta word gamma word delta word").action == "block"
    everything = screen_text("alpha word, beta word, gamma word and delta word")
    assert len(everything.matches) == 4
    assert everything.crisis


def test_every_matching_entry_of_an_action_is_named(watch):
    first = watch("kill myself", action="flag")
    second = watch("myself tonight", action="flag")
    result = screen_text("I will kill myself tonight")
    assert {m.id for m in result.matches_for("flag")} == {first.pk, second.pk}


def test_a_block_without_a_note_gives_a_kind_default_reason(watch):
    watch("orange elephant", action="block")
    assert screen_text("an orange elephant").block_reason == screening.DEFAULT_BLOCK_REASON


def test_switched_off_entries_do_not_match(watch, staff):
    word = watch("yellow submarine", action="flag")
    services.set_watched_word_active(word=word, actor=staff, active=False)
    assert screen_text("yellow submarine").action is None


# --- Matching rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kill   myself!",
        "kill... myself",
        "KILL\n\nmyself",
        "kill\tmyself",
        "kill-myself",
        "kill_myself",
        "“kill myself”",
        "killll myself",
        "kiiiill myself",
        "kil\u200bl myself",  # a zero-width space inside a word
        "ｋｉｌｌ ｍｙｓｅｌｆ",  # full-width letters
    ],
)
def test_phrases_tolerate_case_punctuation_spacing_and_stretching(watch, text):
    watch("kill myself", action="flag")
    assert screen_text(text).matches_for("flag"), text


@pytest.mark.parametrize("text", ["skill myselfie", "skill myself", "kill myselfie", "killmyself", "kil myself"])
def test_phrases_match_whole_words_only(watch, text):
    watch("kill myself", action="flag")
    assert not screen_text(text).matches_for("flag"), text


@pytest.mark.parametrize(
    "text", ["don't give up", "don’t give up", "dont give up", "DON'T  give up!!", "don`t give up"]
)
def test_apostrophes_straight_curly_or_missing_are_the_same(watch, text):
    watch("don't give up", action="flag")
    assert screen_text(text).action == "flag", text


def test_a_single_letter_does_not_match_a_double_one(watch):
    watch("god", action="flag")
    assert screen_text("good morning").action is None
    assert screen_text("oh my goood").action == "flag"


def test_patterns_match_whole_words_in_normalised_text(watch):
    watch(r"purple (?:monkey|ape)s?", action="flag", kind="regex")
    assert screen_text("Purple... APES!").action == "flag"
    assert screen_text("a purple monkey").action == "flag"
    assert screen_text("purple apesque").action is None
    assert screen_text("superpurple apes").action is None


def test_patterns_also_see_stretched_letters_squeezed(watch):
    watch(r"so (?:tired|sad)", action="flag", kind="regex")
    assert screen_text("I'm sooooo tired").action == "flag"
    assert screen_text("I'm so saaaad").action == "flag"


# --- Bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t", "!!!", "\u200b"])
def test_empty_or_blank_text_is_clear(text):
    assert screen_text(text) == screening.CLEAR


def test_non_text_is_refused_plainly():
    with pytest.raises(TypeError, match="takes a str"):
        screen_text(b"kill myself")


def test_a_huge_text_is_screened_to_its_end():
    filler = "We had a lovely walk by the river and talked about the week. " * 20_000  # about 1.2 MB
    assert not screen_text(filler).matches
    assert screen_text(filler + "I want to end it all.").crisis
    assert not screen_text("a" * 200_000 + "!" * 200_000).matches


def _refused(staff, pattern, kind="regex", action="flag"):
    words, audits = WatchedWord.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.add_watched_word(actor=staff, kind=kind, pattern=pattern, action=action)
    assert WatchedWord.objects.count() == words and AuditEntry.objects.count() == audits, "nothing is written"
    return " ".join(caught.value.messages)


def test_an_invalid_regex_is_refused_with_a_clear_error(staff):
    message = _refused(staff, "(unclosed group")
    assert "not a valid regular expression" in message
    assert "missing )" in message


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+b",
        r"(\w+\s?)*x",
        r"(?:x+x+)+y",
        r"(a|aa)*c",
        r"(?:very |really )+sad",
        r"kill.*myself",
        r"(a*)*b",
        r"x{1000}",
    ],
)
def test_patterns_that_could_be_catastrophically_slow_are_refused(staff, pattern):
    assert "could be very slow" in _refused(staff, pattern)


def test_back_references_are_refused(staff):
    assert "Back-references" in _refused(staff, r"(\w+) \1")


def test_a_too_long_pattern_is_refused(staff):
    assert "500 characters or fewer" in _refused(staff, "word " * 101, kind="phrase")


@pytest.mark.parametrize(
    ("pattern", "kind"), [(r"\w+", "regex"), (r"a*", "regex"), ("the", "phrase"), ("!!!", "phrase")]
)
def test_patterns_that_would_match_everything_or_nothing_are_refused(staff, pattern, kind):
    message = _refused(staff, pattern, kind=kind)
    assert any(words in message for words in ("everyday text", "empty text", "at least one letter"))


def test_safe_bounded_and_possessive_patterns_are_accepted(watch):
    word = watch(r"want(?: \w++){0,3} to vanish", kind="regex")
    assert word.pk
    assert screen_text("I want so very much to vanish").action == "flag"


def test_the_same_phrase_spelled_differently_is_a_duplicate(watch, staff):
    watch("don't give up")
    assert "already on the list" in _refused(staff, "Dont   give up!", kind="phrase")


def test_an_unknown_action_is_refused(staff):
    assert "what should happen" in _refused(staff, "some phrase here", kind="phrase", action="explode")


def test_a_bad_row_from_outside_the_services_is_skipped_not_fatal(watch):
    watch("blue whale")
    WatchedWord.objects.create(kind="regex", pattern="(broken", action="flag")
    screening.announce_change()
    assert screen_text("blue whale").action == "flag"


# --- Compiled once, shared invalidation ----------------------------------------------------------------------


def test_no_query_once_compiled(django_assert_num_queries, watch):
    watch("blue whale")
    screen_text("warm up")
    with django_assert_num_queries(0):
        assert screen_text("a blue whale").action == "flag"
        assert screen_text("I want to kill myself").crisis


def test_one_cache_read_per_call(monkeypatch, watch):
    watch("blue whale")
    screen_text("warm up")
    calls = []

    class CountingCache:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(cache, name)

    monkeypatch.setattr(screening, "cache", CountingCache())
    screen_text("a blue whale")
    assert calls == ["get"]


def test_an_edit_takes_effect_on_the_next_call(watch, staff):
    word = watch("blue whale", action="flag")
    assert screen_text("blue whale").action == "flag"
    services.update_watched_word(word=word, actor=staff, action="block", note="No whales.")
    assert screen_text("blue whale").action == "block"
    services.update_watched_word(word=word, actor=staff, pattern="grey whale")
    assert screen_text("blue whale").action is None
    assert screen_text("grey whale").action == "block"
    services.set_watched_word_active(word=word, actor=staff, active=False)
    assert screen_text("grey whale").action is None
    services.set_watched_word_active(word=word, actor=staff, active=True)
    assert screen_text("grey whale").action == "block"
    services.remove_watched_word(word=word, actor=staff)
    assert screen_text("grey whale").action is None


def test_an_edit_in_another_process_is_seen_through_the_shared_stamp(django_assert_num_queries, watch):
    watch("blue whale", action="flag")
    assert screen_text("blue whale").action == "flag"
    # Another process changes the row and publishes a new stamp; this process's compiled copy stays.
    WatchedWord.objects.filter(pattern="blue whale").update(action="hold")
    with django_assert_num_queries(0):
        assert screen_text("blue whale").action == "flag"
    screening._bump()
    assert screen_text("blue whale").action == "hold"


def test_an_emptied_cache_means_a_fresh_compile(watch):
    watch("blue whale", action="flag")
    screen_text("warm up")
    WatchedWord.objects.filter(pattern="blue whale").update(action="hold")
    cache.delete(screening.VERSION_KEY)
    assert screen_text("blue whale").action == "hold"


def test_the_stamp_changes_again_after_commit(django_capture_on_commit_callbacks, watch):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        watch("blue whale")
        during = cache.get(screening.VERSION_KEY)
    assert callbacks, "a second bump waits for the commit"
    for callback in callbacks:
        callback()
    assert cache.get(screening.VERSION_KEY) != during


# --- Audit ---------------------------------------------------------------------------------------------------


def test_each_change_writes_one_audit_row_and_a_no_op_writes_none(watch, staff):
    before = AuditEntry.objects.count()
    word = watch("blue whale", action="flag")
    services.update_watched_word(word=word, actor=staff, action="hold")
    services.update_watched_word(word=word, actor=staff, action="hold")  # no change
    services.set_watched_word_active(word=word, actor=staff, active=False)
    services.set_watched_word_active(word=word, actor=staff, active=True)
    services.remove_watched_word(word=word, actor=staff, reason="Not needed")
    rows = list(AuditEntry.objects.order_by("id")[before:])
    assert [r.action for r in rows] == [
        services.WatchedWordAudit.ADD,
        services.WatchedWordAudit.CHANGE,
        services.WatchedWordAudit.DEACTIVATE,
        services.WatchedWordAudit.REACTIVATE,
        services.WatchedWordAudit.REMOVE,
    ]
    assert all(r.actor == staff for r in rows)
    assert "'flag' → 'hold'" in rows[1].reason
    assert "Not needed" in rows[4].reason
    assert not WatchedWord.objects.filter(pk=word.pk).exists()


def test_anchors_at_the_start_are_refused_with_a_reason(staff):
    assert "leave out ^" in _refused(staff, r"^hello there")


@pytest.mark.parametrize("text", [*MUST_TRIGGER, *MUST_NOT_TRIGGER, "kiiiillll myself", "diiiie", "GOOOODBYE world"])
def test_the_fragment_prefilter_never_hides_a_match(watch, text):
    """Screening only tries the entries whose literal fragment is in the text; trying all must find no more."""
    watch("kill myself", action="flag")
    watch("goodbye world", action="hold")
    compiled = screening._current()
    variants = screening._variants(screening._prepared(text))
    everything = [*compiled.filtered, *(e for _combined, entries in compiled.unfiltered.values() for e in entries)]
    brute_force = {e.match.id for e in everything if any(e.regex.search(v) for v in variants)}
    assert {m.id for m in screen_text(text).matches} == brute_force


def test_a_too_long_reason_or_team_note_is_refused_and_nothing_is_written(staff, watch):
    words = WatchedWord.objects.count()
    with pytest.raises(ValidationError, match="300 characters or fewer"):
        services.add_watched_word(actor=staff, kind="phrase", pattern="blue whale", action="block", note="x" * 301)
    assert WatchedWord.objects.count() == words
    word = watch("blue whale")
    with pytest.raises(ValidationError, match="120 characters or fewer"):
        services.update_watched_word(word=word, actor=staff, label="x" * 121)
    word.refresh_from_db()
    assert word.label == ""


def test_a_crisis_match_names_its_category_for_the_team():
    match = screen_text("I bought a rope today").matches_for("crisis")[0]
    assert match.label == "Crisis: plan, means or preparation"
