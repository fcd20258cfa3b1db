"""Names that docs/contracts.md §2 promises to other parts of ARCON.

These are not a second copy of the ontology: code derives classes, labels and
hierarchies from ``ontology/``. They are the promise the check holds the
ontology to, so that an edit in Protégé cannot silently rename a relation that
users' queries and the extractor's output depend on.
"""

from __future__ import annotations

#: The 18 relations (object properties under arcon:relatedTo).
RELATIONS: tuple[str, ...] = (
    "operatesIn", "engagesIn", "cooperatesWith", "memberOf", "leads", "bribes",
    "colludesWith", "protects", "arrests", "investigates", "combats", "kills",
    "kidnaps", "extorts", "threatens", "exploits", "displaces", "traffics",
)

#: The relations that must be owl:SymmetricProperty.
SYMMETRIC_RELATIONS: frozenset[str] = frozenset({"cooperatesWith", "colludesWith"})

#: The values of arcon:entityType (the extractor's coarse types), one class each.
ENTITY_TYPES: frozenset[str] = frozenset({
    "CriminalGroup", "StateInstitution", "PublicOfficial", "Person", "Company",
    "InternationalOrganization", "NGO", "VictimGroup", "Place", "Market",
})

#: SKOS schemes (local part of https://w3id.org/arcon/concept/{scheme}) and the
#: class every concept of the scheme is an instance of.
SCHEMES: dict[str, str] = {
    "market": "CriminalMarket",
    "corruption": "CorruptionMechanism",
    "harm": "Harm",
    "status": "EpistemicStatus",
    "actor-type": "ActorType",
}
