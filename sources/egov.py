"""eGov-Campus: the IT-Planungsrat's free online courses, published by its Xikolo platform as MOOChub v3.

The feed is plain MOOChub (see `sources.moochub` for the field mapping); this named source only fixes the
provider, so `kommunalcampus ingest egov-campus https://egov-campus.org/bridges/moochub/courses` needs no
`--provider`.
"""

from __future__ import annotations

from typing import ClassVar

from sources.moochub import MoochubAdapter


class EgovCampusAdapter(MoochubAdapter):
    name: ClassVar[str] = "egov-campus"
    description: ClassVar[str] = "eGov-Campus (IT-Planungsrat): MOOChub v3 feed of free online courses"
    default_provider: ClassVar[str] = "egov-campus"
    default_provider_name: ClassVar[str] = "eGov-Campus"
