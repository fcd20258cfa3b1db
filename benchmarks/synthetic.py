"""A deterministic synthetic news corpus for the graph-build benchmarks.

``python benchmarks/synthetic.py N OUT_DIR [--seed S]`` writes
``OUT_DIR/articles.jsonl`` (the JSON Lines the readers accept: id, url, title,
published, publisher, language, text) with N wire-style articles of ~600 words
about coca, cartels, police and officials in Peru, and
``OUT_DIR/extractions.jsonl``: the entities and claims planted in each article,
in the `arcon extract --format jsonl` contract, so the build can be measured
with or without the spaCy extractor. Same N and seed, same bytes.

``--places`` also places most claims ("… in Ayacucho, according to officials"),
at a place of the ontology's reference data (mostly in Peru), so that the
country-scoped named queries have something to find (the API benchmarks). The
build figures were measured without it.

Entity types, fine classes, relation domains and ranges, statuses and
reference individuals all come from the ontology (kg.rdf.tbox); only the prose
(verbs, hedges, filler) is written here.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from kg.rdf import iris
from kg.rdf.tbox import Tbox, load_tbox

PUBLISHERS = ("Andean Wire", "La Voz del Oriente", "Pacific Post", "Selva Press", "Lima Ledger")
# How a sentence says each relation; relations without a phrase use their local name.
PHRASES = {
    "operatesIn": "operate in", "engagesIn": "control the trade in", "cooperatesWith": "work closely with",
    "memberOf": "is a member of", "leads": "leads", "bribes": "paid bribes to", "colludesWith": "colluded with",
    "protects": "protected", "arrests": "arrested", "investigates": "are investigating", "combats": "launched raids against",
    "kills": "killed", "kidnaps": "kidnapped", "extorts": "extorted", "threatens": "threatened",
    "exploits": "forced into labour", "displaces": "drove from their land", "traffics": "smuggled",
}
HEDGES = {"alleged": "allegedly", "reported": "", "charged": "were charged after they", "convicted": "were convicted after they",
          "historical": "in the 1990s", "denied": "denied that they"}
FILLER = (
    "Officials said the operation was part of a wider strategy for the region",
    "Residents described a climate of fear in the villages along the river",
    "The government has promised more resources for alternative development",
    "Analysts say the trade has grown despite years of eradication campaigns",
    "Prices for coca leaf rose sharply in the first months of the year",
    "The minister told reporters that the state would not negotiate with criminals",
    "Local radio stations reported roadblocks on the main highway",
    "Human rights groups called for an independent inquiry into the events",
    "The prosecutor's office declined to comment on the ongoing case",
    "Farmers in the valley said they had few other ways to earn a living",
    "The shipment was hidden among crates of fruit bound for the coast",
    "Police sources said the network had links across the border",
)
NAMES = ("Quispe", "Huamán", "Rojas", "Mendoza", "Flores", "Castillo", "Vargas", "Paredes", "Ramírez", "Torres",
         "Salazar", "Chávez", "Gutiérrez", "Cárdenas", "Poma", "Ccori", "Yupanqui", "Sánchez", "Espinoza", "Zevallos")
ROLES = {"CriminalGroup": ("clan", "cartel", "gang", "network"), "StateInstitution": ("municipality", "police unit", "court"),
         "PublicOfficial": ("mayor", "judge", "police chief", "governor"), "Person": ("pilot", "businessman", "lawyer"),
         "Company": ("logistics firm", "air-taxi company", "timber company"), "VictimGroup": ("farmers", "families", "workers"),
         "NGO": ("foundation", "rights group"), "InternationalOrganization": ("agency",)}


@dataclass(frozen=True)
class Ent:
    name: str
    type: str
    cls: str
    iri: str


def entity_pool(tbox: Tbox, rng: random.Random, size: int = 400) -> list[Ent]:
    """Reference individuals of the ontology plus invented ones of every coarse type."""
    type_of_class = {}
    for coarse, cls in tbox.class_of_type.items():
        for sub in tbox.subclasses(cls):
            type_of_class.setdefault(sub, coarse)
    pool = [Ent(ind.label, type_of_class[t], t, ind.iri)
            for ind in sorted(tbox.individuals.values(), key=lambda i: i.iri) if ind.label
            for t in ind.types[:1] if t in type_of_class]
    for i in range(size):
        coarse = rng.choice(sorted(ROLES))
        cls = rng.choice(sorted(tbox.subclasses(tbox.class_of_type[coarse])))
        name = f"{rng.choice(NAMES)} {rng.choice(ROLES[coarse])}"
        if coarse in ("CriminalGroup", "Company", "NGO"):
            name = f"the {name}"
        pool.append(Ent(name, coarse, cls, iris.entity_iri(coarse, name)))
    return pool


def fits(tbox: Tbox, ent: Ent, classes: tuple[str, ...]) -> bool:
    return not classes or any(tbox.is_a(ent.cls, c) for c in classes)


def candidates(tbox: Tbox, pool: list[Ent]) -> dict[str, tuple[list[Ent], list[Ent]]]:
    """For each relation, the pool's possible subjects (agents in its domain) and objects (in its range)."""
    out = {}
    for name, relation in sorted(tbox.relations.items()):
        subjects = [e for e in pool if fits(tbox, e, relation.domain) and e.type not in ("Place", "Market")]
        objects = [e for e in pool if fits(tbox, e, relation.range)]
        if subjects and objects:
            out[name] = (subjects, objects)
    return out


def article(n: int, tbox: Tbox, pool: dict[str, tuple[list[Ent], list[Ent]]],
            rng: random.Random, places: list[Ent] | None = None) -> tuple[dict, list[dict]]:
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    url = f"https://news.example/synthetic/2013/{month:02d}/{day:02d}/article-{n:05d}"
    sentences: list[str] = []
    lines: list[dict] = []
    offset = 0
    relations = sorted(pool)
    statuses = [s.rsplit("/", 1)[-1] for s in tbox.statuses]
    words = 0
    while words < 600:
        if rng.random() < 0.8:
            text = rng.choice(FILLER) + "."
            relation = None
        else:
            relation = tbox.relations[rng.choice(relations)]
            subjects, objects = pool[relation.name]
            s, o = rng.choice(subjects), rng.choice(objects)
            if s.iri == o.iri:
                continue
            status = rng.choice(statuses)
            hedge = HEDGES.get(status, "")
            verb = PHRASES.get(relation.name, relation.name)
            subject_text = s.name[0].upper() + s.name[1:]
            where = rng.choice(places) if places and rng.random() < 0.7 else None
            text = " ".join(x for x in (subject_text, hedge, verb, o.name) if x)
            text += (f" in {where.name}" if where else "") + ", according to officials."
            start = offset
            end = offset + len(text)
            s_start = start
            o_start = start + text.index(o.name, len(subject_text))
            mentioned = [(s, s_start), (o, o_start)]
            if where:
                mentioned.append((where, start + text.rindex(f" in {where.name},") + 4))
            for ent, at in mentioned:
                lines.append({"kind": "entity", "doc": url, "text": text[at - start:at - start + len(ent.name)],
                              "type": ent.type, "class": ent.cls, "iri": ent.iri, "start": at, "end": at + len(ent.name)})
            lines.append({"kind": "claim", "doc": url, "relation": relation.name,
                          "subject": {"text": subject_text, "type": s.type, "iri": s.iri},
                          "object": {"text": o.name, "type": o.type, "iri": o.iri},
                          "place": {"text": where.name, "type": where.type, "iri": where.iri} if where else None,
                          "date": f"2013-{month:02d}" if rng.random() < 0.5 else None, "status": status,
                          "confidence": round(rng.uniform(0.5, 0.95), 2), "sentence": text, "start": start, "end": end})
        sentences.append(text)
        offset += len(text) + 1
        words += len(text.split())
    doc = {"id": url, "url": url, "title": f"Synthetic report {n}: coca, cartels and the state",
           "published": f"2013-{month:02d}-{day:02d}", "publisher": PUBLISHERS[n % len(PUBLISHERS)],
           "language": "en", "text": " ".join(sentences)}
    return doc, lines


def generate(count: int, out: Path, seed: int = 2013, tbox: Tbox | None = None, places: bool = False) -> None:
    tbox = tbox or load_tbox()
    rng = random.Random(seed)
    entities = entity_pool(tbox, rng)
    pool = candidates(tbox, entities)
    where = [e for e in entities if e.type == "Place"] if places else None
    out.mkdir(parents=True, exist_ok=True)
    with (out / "articles.jsonl").open("w", encoding="utf-8") as docs, \
            (out / "extractions.jsonl").open("w", encoding="utf-8") as extractions:
        extractions.write(json.dumps({"kind": "run", "pipeline": "synthetic-oracle", "version": "1",
                                      "config_hash": f"seed{seed:08d}"}) + "\n")
        for n in range(1, count + 1):
            doc, lines = article(n, tbox, pool, rng, where)
            docs.write(json.dumps(doc, ensure_ascii=False) + "\n")
            for line in lines:
                extractions.write(json.dumps(line, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--places", action="store_true", help="place most claims (for the API benchmarks)")
    args = parser.parse_args(argv)
    generate(args.count, args.out, args.seed, places=args.places)
    return 0


if __name__ == "__main__":
    sys.exit(main())
