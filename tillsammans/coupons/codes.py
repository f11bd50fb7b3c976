"""Coupon codes: unguessable, easy to read aloud and to type, with a check character.

The alphabet has no 0/O and no 1/I, the characters people confuse on paper. Eleven random
characters (55 bits) make a code nobody guesses at a shop's counter; the twelfth is a check
character (Luhn mod 32), which catches every single mistyped character and every swap of two
neighbours but one (2 and Z), so a typing error is told apart from a code never issued.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RANDOM_LENGTH = 11
LENGTH = RANDOM_LENGTH + 1
GROUP = 4
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
_BASE = len(ALPHABET)


def check_character(body: str) -> str:
    """Luhn mod N over the alphabet (N = 32), read from the right."""
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _INDEX[char]
        total += addend // _BASE + addend % _BASE
        factor = 1 if factor == 2 else 2
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def normalise(typed: str) -> str:
    """What was typed or scanned, as stored: upper case, no spaces or dashes.

    A scanned QR code holds the redemption URL with ``?code=``; the code is taken from it.
    """
    text = (typed or "").strip()
    if "code=" in text:
        text = text.split("code=", 1)[1].split("&", 1)[0]
    return "".join(char for char in text.upper() if char not in " -\t")


def is_well_formed(code: str) -> bool:
    """Twelve characters of the alphabet whose last one checks the others."""
    if len(code) != LENGTH or any(char not in _INDEX for char in code):
        return False
    return check_character(code[:-1]) == code[-1]


def display(code: str) -> str:
    """ABCD-EFGH-JKLM: three groups of four, as printed."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
