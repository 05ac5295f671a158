"""What a Python client session answers the server, and what it records of the server's messages.

The canned answers of `client.elicitation` / `client.sampling` are shared by every session and
used in order (the contract). `SessionCallbacks` are one session's `elicitation_callback`,
`sampling_callback` and `message_handler`: they run inline in the SDK session's receive loop, so
they never await a session request.
"""

from __future__ import annotations

from typing import Any

import mcp.types as types

from driver_common import SAMPLING_REFUSED_CODE, ObservationWriter, dump, log, now_ms

# What the client answers sampling/createMessage with when no canned answer is left (the spec's
# example error for a rejected sampling request).
SAMPLING_EXHAUSTED = types.ErrorData(
    code=SAMPLING_REFUSED_CODE, message="User rejected sampling request (no canned sampling answer left)"
)


def as_json(model: Any) -> Any:
    """A model as it goes on the wire (the SDK serialises with exclude_none)."""
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


class CannedAnswers:
    def __init__(self, client: dict[str, Any]) -> None:
        self._elicitation = list(client.get("elicitation", []))
        self._sampling = list(client.get("sampling", []))

    def next_elicitation(self) -> types.ElicitResult:
        """The next canned answer; `cancel` when none is left (contract)."""
        if not self._elicitation:
            return types.ElicitResult(action="cancel")
        canned = self._elicitation.pop(0)
        return types.ElicitResult(action=canned["action"], content=canned.get("content"))

    def next_sampling(self) -> types.CreateMessageResult | None:
        """The next canned answer; None when none is left (the client then answers an error)."""
        if not self._sampling:
            return None
        canned = self._sampling.pop(0)
        return types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(type="text", text=canned["text"]),
            model=canned.get("model", "interop-model"),
            stopReason="endTurn",
        )


class SessionCallbacks:
    """One session's plain (not task-augmented) answers and its notification records."""

    def __init__(self, answers: CannedAnswers, obs: ObservationWriter, session: str) -> None:
        self.answers = answers
        self.obs = obs
        self.session = session

    async def on_elicitation(self, context: Any, params: Any) -> types.ElicitResult:
        at = now_ms()
        answer = self.answers.next_elicitation()
        self.obs.write(
            {
                "type": "incoming",
                "at": at,
                "method": "elicitation/create",
                "params": dump(params),
                "answer": as_json(answer),
                "session": self.session,
            }
        )
        return answer

    async def on_sampling(self, context: Any, params: Any) -> types.CreateMessageResult | types.ErrorData:
        at = now_ms()
        record: dict[str, Any] = {
            "type": "incoming",
            "at": at,
            "method": "sampling/createMessage",
            "params": dump(params),
            "session": self.session,
        }
        answer = self.answers.next_sampling()
        if answer is None:
            record["answerError"] = {"code": SAMPLING_EXHAUSTED.code, "message": SAMPLING_EXHAUSTED.message}
            self.obs.write(record)
            return SAMPLING_EXHAUSTED
        record["answer"] = as_json(answer)
        self.obs.write(record)
        return answer

    async def on_message(self, message: Any) -> None:
        """Every notification (notifications/tasks/status, progress, ...), and any request left unanswered."""
        at = now_ms()
        if isinstance(message, Exception):
            log("transport-exception", session=self.session, error=f"{type(message).__name__}: {message}")
            return
        root: Any
        if isinstance(message, types.ServerNotification):
            root = message.root
        else:  # a RequestResponder the session left unanswered
            root = getattr(getattr(message, "request", None), "root", None)
            if root is None:
                return
        record: dict[str, Any] = {"type": "incoming", "at": at, "method": root.method, "session": self.session}
        params = getattr(root, "params", None)
        if params is not None:
            record["params"] = dump(params)
        self.obs.write(record)
