"""Justification prompts: questions an operator sets per kind of action, which a caller
must answer before the action goes ahead (Foundry calls them checkpoints).

The kinds are `export` (any disclosure: export, graph export, case export),
`bulk_export` (a disclosure naming at least `bulk_export_min` entities; its prompt wins
over `export`'s), `erase`, and `graph` (a graph call whose result combines collections).
The answer is the context's justification; the audit event keeps the exact prompt text
beside it.
"""

from __future__ import annotations

from collections.abc import Mapping

from threadline.audit import ActionKind
from threadline.errors import ThreadlineError
from threadline.settings import PROMPT_KINDS

__all__ = ["PROMPT_KINDS", "JustificationRequired", "Prompts"]


class JustificationRequired(ThreadlineError):
    """An action whose prompt the caller did not answer; the message quotes the prompt."""

    def __init__(self, action: str, kind: str, prompt: str) -> None:
        self.action = action
        self.kind = kind
        self.prompt = prompt
        super().__init__(
            f"{action}: this action needs a justification. The operator asks: {prompt} "
            "(answer with --justification, the X-Justification header, or the "
            "context's justification)"
        )


class Prompts:
    """The configured prompts, and which one (if any) an action must answer."""

    def __init__(self, prompts: Mapping[str, str], bulk_export_min: int) -> None:
        # The kinds were checked by Settings; a blank prompt asks nothing.
        self._prompts = {kind: text for kind, text in prompts.items() if text.strip()}
        self._bulk_min = bulk_export_min

    def before(self, action: str, kind: ActionKind) -> tuple[str, str] | None:
        """The (kind, prompt) to answer before a change starts: erasure's."""
        if kind is ActionKind.ERASURE and "erase" in self._prompts:
            return "erase", self._prompts["erase"]
        return None

    def after(self, action: str, kind: ActionKind, objects: int) -> tuple[str, str] | None:
        """The (kind, prompt) to answer before a result leaves, now that it is known:
        a disclosure's (bulk or not), or a graph call's that combined collections."""
        if kind is ActionKind.DISCLOSURE:
            if objects >= self._bulk_min and "bulk_export" in self._prompts:
                return "bulk_export", self._prompts["bulk_export"]
            if "export" in self._prompts:
                return "export", self._prompts["export"]
        if (
            kind is ActionKind.COMBINATION
            and action.startswith("graph.")
            and "graph" in self._prompts
        ):
            return "graph", self._prompts["graph"]
        return None

    @staticmethod
    def check(action: str, asked: tuple[str, str] | None, answer: str) -> str:
        """The prompt text to record, or `JustificationRequired` if it went unanswered."""
        if asked is None:
            return ""
        if not answer.strip():
            raise JustificationRequired(action, *asked)
        return asked[1]
