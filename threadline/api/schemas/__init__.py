"""The JSON API's wire models: what every route takes and returns, for OpenAPI.

They mirror the workbench's result objects field by field; `of` builds one from its
domain object, so routes stay a call and a conversion. Enums go out as their lowercase
labels (`same`, `owner`, `read`), as the CLI spells them. One module per route family.
"""

from __future__ import annotations

from threadline.api.schemas.admin import (
    EventOut,
    GrantIn,
    GrantOut,
    LevelName,
    NewUserOut,
    ProblemFound,
    RoleName,
    UserIn,
    UserOut,
    VerifyOut,
)
from threadline.api.schemas.cases import (
    CaseFileOut,
    CaseIn,
    CaseOut,
    CaseRoleName,
    MemberIn,
    NoteIn,
    NoteOut,
    PinIn,
    PinOut,
    TaskChange,
    TaskIn,
    TaskOut,
    TaskStatusName,
    TimelineOut,
)
from threadline.api.schemas.graph import (
    Edge,
    Node,
    PathOut,
    PathsOut,
    SubgraphOut,
)
from threadline.api.schemas.read import (
    DatasetOut,
    EntityOut,
    FileResult,
    IngestJobOut,
    Link,
    LinkEnd,
    RowError,
    SearchHit,
    SearchResponse,
    Stage,
    Value,
)
from threadline.api.schemas.resolution import (
    ExplanationOut,
    FeatureOut,
    JudgementIn,
    JudgementOut,
    ReviewItemOut,
)
from threadline.api.schemas.wire import (
    Problem,
    Wire,
)

__all__ = [
    "CaseFileOut",
    "CaseIn",
    "CaseOut",
    "CaseRoleName",
    "DatasetOut",
    "Edge",
    "EntityOut",
    "EventOut",
    "ExplanationOut",
    "FeatureOut",
    "FileResult",
    "GrantIn",
    "GrantOut",
    "IngestJobOut",
    "JudgementIn",
    "JudgementOut",
    "LevelName",
    "Link",
    "LinkEnd",
    "MemberIn",
    "NewUserOut",
    "Node",
    "NoteIn",
    "NoteOut",
    "PathOut",
    "PathsOut",
    "PinIn",
    "PinOut",
    "Problem",
    "ProblemFound",
    "ReviewItemOut",
    "RoleName",
    "RowError",
    "SearchHit",
    "SearchResponse",
    "Stage",
    "SubgraphOut",
    "TaskChange",
    "TaskIn",
    "TaskOut",
    "TaskStatusName",
    "TimelineOut",
    "UserIn",
    "UserOut",
    "Value",
    "VerifyOut",
    "Wire",
]
