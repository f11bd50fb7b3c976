"""How a person's name is put together for display, shared by the model and the pages."""


def name_with_spelling(written: str, latin: str) -> str:
    """A name as written with its passport spelling, the parentheses only around a spelling
    that is there and says something the written name does not: "Оксана Мельник (Oksana
    Melnyk)", "Oksana Melnyk", never "Оксана Мельник ()"."""
    if latin and latin != written:
        return f"{written} ({latin})"
    return written
