"""Name search across Cyrillic, passport Latin and Swedish spellings, tolerant of one typo.

Every name is folded to a rough phonetic Latin skeleton, so that Житомир, Zhytomyr and
Zjytomyr all become ``zitomir``. A person's keys are its folded name words. A query word
matches a key when the key is the word itself or one edit away from it (a letter dropped,
added, changed, or two swapped): the query's edits are generated, a few hundred, and looked
up in the index in one go. Keys stay few (about three per person), which keeps imports fast.

Folding cannot make every spelling of a sound meet: "ch" is ч in the passport (Kharchenko) and
х in Swedish (Chartjenko), and the Swedish "tj" is ч (Tjernenko) or т before я (Tetjana). So a
name written in Cyrillic also gets the keys of its passport and its Swedish spelling, where
they fold differently: a sheet written by a Swedish official finds the person without using
up the one typo the search forgives.
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
MIN_TYPO_LENGTH = 4
# The letters a folded word can hold (g, j, q, w, x and y are folded away).
FOLDED_LETTERS = "abcdefhiklmnoprstuvz"


# Ukraine's 2010 rules spell the iotated letters differently at the start of a word.
_WORD_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_NAME_PARTS = re.compile(r"([\s\-]+)")


def passport_spelling(name: str) -> str:
    """A Cyrillic name in the passport's Latin spelling (Ukraine's 2010 system), each word
    capitalised: Житомир → Zhytomyr, Ярослава → Yaroslava, Згурський → Zghurskyi.
    A name that is not Cyrillic is returned as it is."""
    if not _is_cyrillic(name):
        return name
    parts = []
    for part in _NAME_PARTS.split(name):
        lowered = part.lower()
        letters = []
        for index, char in enumerate(lowered):
            if index == 0 and char in _WORD_INITIAL:
                letters.append(_WORD_INITIAL[char])
            elif char == "г" and index > 0 and lowered[index - 1] == "з":
                letters.append("gh")  # зг is zgh, so that it is not read as the digraph zh
            else:
                letters.append(_CYRILLIC.get(char, char))
        parts.append("".join(letters).capitalize())
    return "".join(parts)


# The Swedish transcription of Ukrainian (Språkrådet): zj, tj, sj, j for the iotated vowels.
_SWEDISH = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ж": "zj", "з": "z", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "ch", "ц": "ts", "ч": "tj", "ш": "sj", "щ": "sjtj", "ь": "", "ю": "ju",
    "я": "ja", "'": "", "’": "", "ʼ": "",
}  # fmt: skip


def _is_cyrillic(name: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in name)


def swedish_spelling(name: str) -> str:
    """A Cyrillic name as Swedish authorities transcribe it, each word capitalised:
    Житомир → Zjytomyr, Харченко → Chartjenko. A name that is not Cyrillic is returned as
    it is."""
    if not _is_cyrillic(name):
        return name
    return "".join(
        "".join(_SWEDISH.get(char, char) for char in part.lower()).capitalize()
        for part in _NAME_PARTS.split(name)
    )


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


@lru_cache(maxsize=4096)
def edits(word: str) -> frozenset[str]:
    """The word and every word one edit from it, for words long enough to have typos."""
    # First names repeat from one line of a pasted list to the next.
    if len(word) < MIN_TYPO_LENGTH:
        return frozenset({word})
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {word}
    variants.update(left + right[1:] for left, right in splits if right)
    variants.update(
        left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1
    )
    variants.update(
        left + letter + right[1:] for left, right in splits if right for letter in FOLDED_LETTERS
    )
    variants.update(left + letter + right for left, right in splits for letter in FOLDED_LETTERS)
    return frozenset(_REPEAT.sub(r"\1", variant) for variant in variants)


def _spellings(name: str) -> list[str]:
    if not _is_cyrillic(name):
        return [name]
    return [name, passport_spelling(name), swedish_spelling(name)]


def _indexed_words(names: Iterable[str]) -> list[str]:
    """A person's folded name words, each once: as written and, for a Cyrillic name, as
    spelled in the passport and in Swedish."""
    return list(
        dict.fromkeys(
            word for name in names for spelling in _spellings(name) for word in fold_words(spelling)
        )
    )


def name_keys(names: Iterable[str]) -> set[str]:
    return {word[:60] for word in _indexed_words(names)}


def search_text(names: Iterable[str]) -> str:
    return " ".join(_indexed_words(names))[:600]
