"""Name search across Cyrillic, Arabic script, Ge'ez, passport Latin and Swedish spellings,
tolerant of one typo.

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


# Arabic script as Dari, Pashto and Arabic write names (seed 003: most children of 2015 came
# from Afghanistan, Syria and Somalia). Short vowels are not written, so محمد is "mhmd": the
# common names' spellings are joined below (_VARIANTS); long vowels are written (علی → ali).
_ARABIC = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "i", "ٱ": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s",
    "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
    "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "a",
    "غ": "gh", "ف": "f", "ق": "q", "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
    "و": "u", "ؤ": "u", "ه": "h", "ة": "a", "ی": "i", "ي": "i", "ى": "a", "ئ": "i", "ء": "",
    "ې": "e", "ۍ": "i", "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ګ": "g",
    "ڼ": "n", "ځ": "dz", "څ": "ts", "ـ": "",
}  # fmt: skip
_ETHIOPIC_NAME = re.compile(
    r"ETHIOPIC SYLLABLE (GLOTTAL |PHARYNGEAL )?([B-DF-HJ-NP-TV-Z]*)([AEIOU]+)$"
)
# A syllable's vowel as Tigrinya names are spelled in Latin letters: the first order (named
# "A" in Unicode) is e (ተስፋይ Tesfay), the fourth ("AA") a, the sixth ("E") no vowel at all.
_ETHIOPIC_VOWELS = {"A": "e", "AA": "a", "E": "", "EE": "e", "I": "i", "U": "u", "O": "o"}


def _ethiopic(char: str) -> str:
    match = _ETHIOPIC_NAME.match(unicodedata.name(char, ""))
    if match is None:
        return ""
    throat, consonant, vowel = match.groups()
    if throat and vowel == "A":
        return "a"  # አ, ዐ: a vowel alone (Amanuel)
    return consonant.lower() + _ETHIOPIC_VOWELS.get(vowel, vowel.lower())


@lru_cache(maxsize=1024)
def _latin_letter(char: str) -> str:
    """One letter in Latin: Cyrillic and Arabic script from tables, Ge'ez from its Unicode
    name (ETHIOPIC SYLLABLE YO is "yo": each syllable is a consonant and a vowel)."""
    if char in _CYRILLIC:
        return _CYRILLIC[char]
    if char in _ARABIC:
        return _ARABIC[char]
    if "\u1200" <= char <= "\u139f" or "\u2d80" <= char <= "\u2ddf":
        return _ethiopic(char)
    if "\u064b" <= char <= "\u065f" or char == "\u0670":
        return ""  # Arabic vowel marks, rarely written in names: dropped, as when unwritten
    return char


def transliterate(text: str) -> str:
    # NFKC first: text copied from a PDF often holds Arabic presentation forms (ﻣﺤﻤﺪ), which
    # are the ordinary letters once normalised.
    return "".join(_latin_letter(char) for char in unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    # Names repeat a lot (an import of 10 000 rows has a few thousand distinct words).
    latin = unicodedata.normalize("NFKD", transliterate(word))
    latin = "".join(char for char in latin if not unicodedata.combining(char))
    latin = _NON_LETTER.sub("", latin)
    for old, new in _FOLDS:
        latin = latin.replace(old, new)
    return _REPEAT.sub(r"\1", latin)


# Spellings of the most common names from Afghanistan, Syria, Somalia and Eritrea that folding
# does not bring within one typo of each other, folded; a person's name in one of them is
# indexed under all, so that any spelling finds it (and one typo more).
_VARIANT_GROUPS = [
    ("mohamad", "mohamed", "muhamad", "muhamed", "mahamad", "mhmd", "mohmad"),
    ("ahmad", "ahmed", "ahmd"),
    ("mahmud", "mahmod", "mahmoud", "mahmood", "mhmud", "mohamud"),
    ("husein", "hosein", "husain", "hosain", "hsin", "hsein", "husin"),
    ("hasan", "hassan", "hsn"),
    ("abdulah", "abdalah", "abdula", "abdala", "abdalh", "abdulh"),
    ("iusef", "iusuf", "iosef", "iousef", "iusf"),
    ("omar", "umar", "amr"),
    ("osman", "usman", "otman", "utman", "atman", "asman", "usmn"),
    ("mustafa", "mostafa", "mstfa"),
    ("ibrahim", "ebrahim", "abrahim", "ibrahim"),
    ("fatima", "fatma", "fateme", "fatemeh", "fatemah", "fatmh"),
    ("zainab", "zeinab", "zaineb", "zinab", "znb"),
    ("mohsen", "muhsin", "mohsin", "mhsn"),
    ("abas", "abbas", "abs"),
]
_VARIANTS = {
    spelling: group
    for group in _VARIANT_GROUPS
    for spelling in group
}  # fmt: skip


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


def _variants(folded: str) -> tuple[str, ...]:
    return _VARIANTS.get(folded, (folded,))


def _spellings(name: str) -> list[str]:
    if not _is_cyrillic(name):
        return [name]
    return [name, passport_spelling(name), swedish_spelling(name)]


def _indexed_words(names: Iterable[str]) -> list[str]:
    """A person's folded name words, each once: as written and, for a Cyrillic name, as
    spelled in the passport and in Swedish."""
    return list(
        dict.fromkeys(
            variant
            for name in names
            for spelling in _spellings(name)
            for word in fold_words(spelling)
            for variant in _variants(word)
        )
    )


_VOWELS = re.compile(r"[aeiou]+")
SKELETON_MARK = "~"  # a key that is a consonant skeleton, not a word
MIN_SKELETON_LENGTH = 3


def skeleton(folded: str) -> str:
    """A folded word's consonants: what Arabic script writes of a name (حسینی is "hsini",
    Hosseini "hsn" once the vowels are gone)."""
    return _REPEAT.sub(r"\1", _VOWELS.sub("", folded))


def _is_arabic(name: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in name)


def skeleton_keys(word: str) -> set[str]:
    """The skeleton keys a query word may meet: its skeleton, and for five consonants or more
    the skeleton with one consonant too many or two swapped (Hosseimni). Only names
    written in Arabic script carry skeleton keys, so a Latin query finds them however it
    spells the vowels the script leaves out. A dozen keys, not the hundreds of every edit:
    each is one more lookup in every search."""
    bones = skeleton(word)
    if len(bones) < MIN_SKELETON_LENGTH:
        return set()
    variants = {bones}
    # From five consonants: a four-consonant name less one is another name (mhmd, hmd).
    if len(bones) > MIN_TYPO_LENGTH:
        variants.update(bones[:i] + bones[i + 1 :] for i in range(len(bones)))
        variants.update(
            bones[:i] + bones[i + 1] + bones[i] + bones[i + 2 :] for i in range(len(bones) - 1)
        )
    return {SKELETON_MARK + variant for variant in variants if len(variant) >= MIN_SKELETON_LENGTH}


def name_keys(names: Iterable[str]) -> set[str]:
    keys = {word[:60] for word in _indexed_words(names)}
    for name in names:
        if _is_arabic(name):
            keys.update(
                (SKELETON_MARK + skeleton(word))[:60]
                for word in fold_words(name)
                if len(skeleton(word)) >= MIN_SKELETON_LENGTH
            )
    return keys


def search_text(names: Iterable[str]) -> str:
    return " ".join(_indexed_words(names))[:600]
