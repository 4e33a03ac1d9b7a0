"""Where each navigation key lands, with and without a speaker filter."""

from tests.factories import transcript
from tui.navigation import Navigator

T = transcript([
    ("narration", "intro"),      # 0
    ("s1", "a1"),                # 1
    ("s2", "b1"),                # 2
    ("s2", "b2"),                # 3
    ("s1", "a2"),                # 4
    ("s3", "c1"),                # 5
    ("s1", "a3"),                # 6
    ("credits", "credits"),      # 7
])


def test_step_clamps_at_both_ends():
    nav = Navigator(T)
    assert nav.step(0, -1) == 0
    assert nav.step(0, 1) == 1
    assert nav.step(7, 1) == 7


def test_same_speaker_turns():
    nav = Navigator(T)
    assert nav.same_speaker(1, 1) == 4
    assert nav.same_speaker(4, 1) == 6
    assert nav.same_speaker(6, 1) is None
    assert nav.same_speaker(6, -1) == 4
    assert nav.same_speaker(0, 1) is None  # narration has no speaker


def test_speaker_change_skips_the_current_run():
    nav = Navigator(T)
    assert nav.speaker_change(1, 1) == 2
    assert nav.speaker_change(2, 1) == 4  # 3 is the same speaker as 2
    assert nav.speaker_change(4, -1) == 2  # back to the start of s2's run
    assert nav.speaker_change(2, -1) == 1
    assert nav.speaker_change(7, 1) is None


def test_turn_numbers():
    nav = Navigator(T)
    assert nav.turn_number(4) == (2, 3)
    assert nav.turn_number(0) is None


def test_filter_limits_navigation_to_the_chosen_speakers():
    nav = Navigator(T, frozenset({"s1"}))
    assert nav.visible == (1, 4, 6)
    assert nav.step(1, 1) == 4
    assert nav.nearest(2) == 4  # a hidden segment maps to the next visible one
    assert nav.step(2, -1) == 1
    assert nav.first() == 1 and nav.last() == 6


def test_empty_filter_result():
    nav = Navigator(T, frozenset({"s9"}))
    assert nav.visible == ()
    assert nav.step(0, 1) is None and nav.first() is None


def test_a_transcripts_turns_are_worked_out_once_and_only_the_last_kept():
    from tui.navigation import speaker_turns

    turns = speaker_turns(T)  # what the load worker does before the reader shows a big file
    assert turns == {"s1": [1, 4, 6], "s2": [2, 3], "s3": [5]}
    assert Navigator(T).turns is turns  # the UI thread does not walk the segments again
    assert Navigator(T, frozenset({"s2"})).turns is turns
    other = transcript([("s9", "x")])
    assert speaker_turns(other) == {"s9": [0]}
    again = speaker_turns(T)  # a transcript switched away from is not kept alive for this
    assert again == turns and again is not turns


def test_a_navigator_cannot_be_changed_only_replaced():
    import pytest

    nav = Navigator(T, frozenset({"s1"}))
    with pytest.raises(AttributeError):
        nav.visible = (0, 1)
    with pytest.raises(AttributeError):
        nav.speakers = None
    assert nav.visible == (1, 4, 6) and nav.speakers == frozenset({"s1"})
