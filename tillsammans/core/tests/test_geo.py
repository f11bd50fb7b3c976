from tillsammans.core.lib.geo import DISTRICTS, distance_km, district_centre, district_name

CENTRUM = DISTRICTS["Centrum"]
ANGERED = DISTRICTS["Angered"]


def test_it_finds_districts_written_loosely():
    # when / then
    assert district_name("  majorna–linné ") == "Majorna-Linné"
    assert district_centre("örgryte-härlanda") == DISTRICTS["Örgryte-Härlanda"]
    assert district_centre("Stockholm") is None
    assert district_centre("") is None


def test_it_measures_the_distance_across_the_city():
    # when
    km = distance_km(CENTRUM, ANGERED)
    # then: Angered is about 12 km north-east of the centre
    assert 10 < km < 14
    assert distance_km(CENTRUM, CENTRUM) == 0
