"""A site's units in the order their names count (core.lib.names.natural_key)."""

from tillsammans.core.lib.names import natural_key


def test_it_orders_numbers_by_value_and_takes_any_name():
    names = ["Rum 10", "rum 2", "Rum 1", "Lgh ²", "Rum ٣"]
    # "²" is a digit that int() refuses and "٣" an Arabic-Indic three: neither fails
    assert sorted(names, key=natural_key) == ["Lgh ²", "Rum 1", "rum 2", "Rum ٣", "Rum 10"]
