"""Junk topics — venue boilerplate and other languages' function words — are recognised; technologies are not."""
from __future__ import annotations

from frontierwatch.topics.junk import is_junk_topic


def test_boilerplate_and_foreign_function_words_are_junk():
    assert is_junk_topic("proceedings · th international workshop")
    assert is_junk_topic("des · la · und")
    assert is_junk_topic([["der", 0.3], ["und", 0.2], ["quantum", 0.1]])
    assert is_junk_topic([{"phrase": "conference"}, {"phrase": "ieee"}, {"phrase": "robot"}, {"phrase": "arm"}])


def test_technologies_are_not_junk():
    assert not is_junk_topic("convolutional neural networks · deep learning · classification")
    assert not is_junk_topic([["international space station", 0.4], ["microgravity", 0.3], ["crew", 0.2]])
    assert not is_junk_topic("lithium · battery · la")     # one foreign word among technical ones
    assert not is_junk_topic([]) and not is_junk_topic(None)
