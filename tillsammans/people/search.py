"""Name search across Cyrillic, passport Latin and Swedish spellings, tolerant of one typo.

Every name is folded to a rough phonetic Latin skeleton, so that Житомир, Zhytomyr and
Zjytomyr all become ``zitomir``. A person's keys are each folded name word plus its
one-letter deletions; a query word matches when any of its own deletion variants is a key
(edit distance one, the SymSpell idea), or when it is a prefix of a key.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "ы": "y", "э": "e", "ё": "e", "ъ": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip

# Spelling variants of one sound, longest first: Ukrainian 2010, older and Swedish forms.
_FOLDS = [
    ("shch", "s"), ("sjtj", "s"), ("tsch", "c"), ("sch", "s"), ("tch", "c"),
    ("zh", "z"), ("zj", "z"), ("kh", "h"), ("ch", "c"), ("tj", "c"), ("sh", "s"),
    ("sj", "s"), ("ts", "c"), ("tz", "c"), ("g", "h"), ("w", "v"), ("y", "i"),
    ("j", "i"), ("x", "ks"), ("q", "k"),
]  # fmt: skip
_NON_LETTER = re.compile(r"[^a-z]+")
_REPEAT = re.compile(r"(.)\1+")
MIN_DELETION_LENGTH = 4


def transliterate(text: str) -> str:
    lowered = text.lower()
    return "".join(_CYRILLIC.get(char, char) for char in lowered)


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    # Names repeat a lot (an import of 10 000 rows has a few thousand distinct words).
    latin = unicodedata.normalize("NFKD", transliterate(word))
    latin = "".join(char for char in latin if not unicodedata.combining(char))
    latin = _NON_LETTER.sub("", latin)
    for old, new in _FOLDS:
        latin = latin.replace(old, new)
    return _REPEAT.sub(r"\1", latin)


def fold_words(text: str) -> list[str]:
    words = re.split(r"[\s\-,.;/]+", text or "")
    return [folded for folded in (fold_word(word) for word in words) if folded]


def deletions(word: str) -> set[str]:
    if len(word) < MIN_DELETION_LENGTH:
        return set()
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


def name_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        for word in fold_words(name):
            keys.add(word[:60])
            keys.update(variant[:60] for variant in deletions(word))
    return keys


def search_text(names: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(word for name in names for word in fold_words(name)))[:600]
