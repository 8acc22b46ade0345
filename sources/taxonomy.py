"""The competence frameworks the hub knows: DigComp 2.2 and the hub's own `kc:` administration framework.

Loaded from `sources/data/competences.json` at start; ids are `framework:code` (`digcomp:4.2`,
`kc:egov-law`). Adapters validate competence codes against this, so a typo in a feed is quarantined instead
of silently creating a competence nobody can search for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "competences.json"
LEVELS = range(1, 9)


@dataclass(frozen=True)
class Competence:
    id: str
    framework: str
    code: str
    label: dict[str, str]
    description: dict[str, str]
    area_code: str
    area_label: dict[str, str]

    def to_document(self) -> dict[str, object]:
        return {
            "_id": self.id, "framework": self.framework, "code": self.code, "label": self.label,
            "description": self.description, "area": {"code": self.area_code, "label": self.area_label},
        }


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str
    levels: dict[int, dict[str, str]]
    areas: list[tuple[str, dict[str, str]]]


@dataclass(frozen=True)
class Taxonomy:
    frameworks: dict[str, Framework]
    competences: dict[str, Competence] = field(repr=False)

    def __contains__(self, competence_id: object) -> bool:
        return competence_id in self.competences

    def knows_framework(self, framework: str) -> bool:
        return framework in self.frameworks


def _parse(raw: dict) -> Taxonomy:
    frameworks: dict[str, Framework] = {}
    competences: dict[str, Competence] = {}
    for fw in raw["frameworks"]:
        levels = {int(lv["level"]): lv["label"] for lv in fw["levels"]}
        if sorted(levels) != list(LEVELS):
            raise ValueError(f"framework {fw['id']} must define levels 1..8")
        areas = []
        for area in fw["areas"]:
            areas.append((area["code"], area["label"]))
            for comp in area["competences"]:
                cid = f"{fw['id']}:{comp['code']}"
                if cid in competences:
                    raise ValueError(f"competence {cid} is defined twice")
                competences[cid] = Competence(
                    id=cid, framework=fw["id"], code=comp["code"], label=comp["label"],
                    description=comp.get("description", {}), area_code=area["code"], area_label=area["label"],
                )
        frameworks[fw["id"]] = Framework(fw["id"], fw["name"], fw["version"], levels, areas)
    return Taxonomy(frameworks, competences)


@cache
def load_taxonomy(path: Path = DATA_FILE) -> Taxonomy:
    with open(path, encoding="utf-8") as fh:
        return _parse(json.load(fh))
