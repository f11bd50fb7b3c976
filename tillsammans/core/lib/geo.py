"""Places in Gothenburg: district centres and distances, with no database and no network.

A household's anchor is kept as a district, not as an address: the district of a child's
school or a job is enough to place the household near it, and a precise point would be
location data about a person that the placement does not need. Sites may have coordinates;
without them, their district's centre stands in.
"""

import math
import unicodedata

Point = tuple[float, float]

EARTH_RADIUS_KM = 6371.0

# Approximate centres (WGS 84) of the city's districts: the ten stadsdelar of 2011-2020,
# which staff still name places by, and the stadsområden of 2021. A kilometre off matters
# little at the scale of the distance score, which falls to zero at 20 km.
DISTRICTS: dict[str, Point] = {
    "Angered": (57.7966, 12.0497),
    "Askim-Frölunda-Högsbo": (57.6460, 11.9400),
    "Centrum": (57.7040, 11.9750),
    "Hisingen": (57.7400, 11.9000),
    "Lundby": (57.7180, 11.9330),
    "Majorna-Linné": (57.6900, 11.9250),
    "Nordost": (57.7750, 12.0400),
    "Norra Hisingen": (57.7700, 11.9600),
    "Sydväst": (57.6530, 11.9100),
    "Västra Göteborg": (57.6580, 11.8700),
    "Västra Hisingen": (57.7240, 11.8250),
    "Örgryte-Härlanda": (57.6990, 12.0070),
    "Östra Göteborg": (57.7560, 12.0240),
}


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold().strip()
    for dash in ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", " - "):
        text = text.replace(dash, "-")
    return " ".join(text.split())


_BY_FOLDED = {_fold(name): name for name in DISTRICTS}


def district_name(name: str) -> str | None:
    """The table's spelling of a district written loosely ("centrum", "Majorna–Linné")."""
    return _BY_FOLDED.get(_fold(name)) if name else None


def district_centre(name: str) -> Point | None:
    known = district_name(name)
    return DISTRICTS[known] if known else None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine); the city is small enough for any formula to do."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
