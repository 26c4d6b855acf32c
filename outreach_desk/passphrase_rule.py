"""Which passphrases a new store (or a passphrase change) accepts: the one rule that the first-run
screen, the passphrase change and the command line (``init``, ``passwd``) share.

A passphrase is refused when it is shorter than :data:`MIN_LENGTH` characters, made of fewer
than :data:`MIN_DISTINCT` different characters, or guessable by the strength estimator `zxcvbn`
(Dropbox's, kept on PyPI as ``zxcvbn``): a score below :data:`MIN_SCORE` on its 0–4 scale means
fewer than about 10^8 guesses, hours for an attacker holding a copy of the key file even at our
Argon2id cost. zxcvbn knows English words, names, keyboard rows, repeats, sequences and dates;
it has no Japanese dictionary, so a passphrase in kana or kanji is judged by its length and its
patterns (「ああああああああああ」 is still a repeat), which is what the distinct-characters rule is
there to back up.

A refusal carries a stable ``reason`` code (for the desktop client's Japanese message) and an
English explanation (for the command line and the logs); the worker's name and team are passed
as words the estimator counts as easy to guess.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from zxcvbn import zxcvbn

from .errors import WeakPassphrase

MIN_LENGTH = 10
MIN_DISTINCT = 5
MIN_SCORE = 3
_ESTIMATED_PREFIX = 72  # zxcvbn refuses longer input; a longer passphrase is judged by its start
_ZXCVBN = threading.Lock()  # zxcvbn keeps the user's words in a module-level dictionary

# reason codes, in the order a person would fix them
TOO_SHORT = "too_short"
FEW_CHARACTERS = "few_characters"
REPEAT = "repeat"
SEQUENCE = "sequence"
KEYBOARD = "keyboard"
COMMON = "common_password"
WORD = "single_word"
NAME = "name"
PERSONAL = "personal"  # the worker's own name or team
DATE = "date"
GUESSABLE = "guessable"  # none of the above stands out, but the whole is still easy to guess
REASONS = (TOO_SHORT, FEW_CHARACTERS, REPEAT, SEQUENCE, KEYBOARD, COMMON, WORD, NAME, PERSONAL,
           DATE, GUESSABLE)

_ENGLISH = {
    TOO_SHORT: f"it must be at least {MIN_LENGTH} characters long",
    FEW_CHARACTERS: f"it must use at least {MIN_DISTINCT} different characters",
    REPEAT: "repeated characters or words are easy to guess",
    SEQUENCE: "sequences like abc or 6543 are easy to guess",
    KEYBOARD: "rows of neighbouring keys are easy to guess",
    COMMON: "it is, or is close to, a commonly used password",
    WORD: "a single word is easy to guess",
    NAME: "names by themselves are easy to guess",
    PERSONAL: "your own name or team is easy to guess",
    DATE: "dates and years are easy to guess",
    GUESSABLE: "it is too easy to guess",
}


@dataclass(frozen=True)
class Assessment:
    """What the rule says about one passphrase."""

    score: int  # zxcvbn's 0–4 (0 when too short to be worth estimating)
    reason: str | None  # None when accepted, else one of REASONS

    @property
    def acceptable(self) -> bool:
        return self.reason is None

    @property
    def explanation(self) -> str:
        """One English line for the command line and the logs (empty when accepted)."""
        if self.reason is None:
            return ""
        return (f"the passphrase is refused: {_ENGLISH[self.reason]} "
                "(a few uncommon words together make a strong passphrase)")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _user_words(user_inputs: Iterable[str]) -> list[str]:
    words: set[str] = set()
    for text in user_inputs:
        text = _normal(text or "").strip()
        if not text:
            continue
        parts = text.split()
        words.update([text, "".join(parts), *parts])
    return sorted(word for word in words if len(word) >= 2)


def _reason_of(result: dict) -> str:
    """The reason a guessable passphrase is guessable: its longest pattern, as zxcvbn's own
    feedback picks it."""
    sequence = [match for match in result["sequence"] if match["pattern"] != "bruteforce"]
    if not sequence:
        return GUESSABLE
    match = max(sequence, key=lambda m: len(m["token"]))
    pattern = match["pattern"]
    if pattern == "dictionary":
        name = match.get("dictionary_name")
        if name == "user_inputs":
            return PERSONAL
        if name == "passwords":
            return COMMON
        if name in ("surnames", "male_names", "female_names"):
            return NAME
        return WORD
    return {"repeat": REPEAT, "sequence": SEQUENCE, "spatial": KEYBOARD, "date": DATE,
            "regex": DATE}.get(pattern, GUESSABLE)


def assess(passphrase: str, user_inputs: Iterable[str] = ()) -> Assessment:
    """Score ``passphrase``; ``user_inputs`` are words about the user (name, team)."""
    text = _normal(passphrase)
    if len(text) < MIN_LENGTH:
        return Assessment(0, TOO_SHORT)
    with _ZXCVBN:
        result = zxcvbn(text[:_ESTIMATED_PREFIX], user_inputs=_user_words(user_inputs))
    score = int(result["score"])
    if score < MIN_SCORE:
        return Assessment(score, _reason_of(result))
    if len(set(text)) < MIN_DISTINCT:
        return Assessment(MIN_SCORE - 1, FEW_CHARACTERS)
    return Assessment(score, None)


def check(passphrase: str, user_inputs: Iterable[str] = ()) -> None:
    """Raise :class:`WeakPassphrase` (with ``reason``) unless the rule accepts ``passphrase``."""
    found = assess(passphrase, user_inputs)
    if not found.acceptable:
        raise WeakPassphrase(found.explanation, reason=found.reason)


__all__ = ["MIN_DISTINCT", "MIN_LENGTH", "MIN_SCORE", "REASONS", "Assessment", "assess", "check"]
