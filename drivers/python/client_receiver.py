"""The Python client as a task receiver (`client.tasks`: server→client tasks).

The SDK's way (docs/experimental/tasks-client.md, "Advanced: Client as Task Receiver"):
`ClientSession(experimental_task_handlers=ExperimentalTaskHandlers(...))` with the client's own
task store. The SDK derives the client's `tasks` capability from which handlers are given
(`augmented_elicitation` → requests.elicitation.create, `augmented_sampling` →
requests.sampling.createMessage, `list_tasks` → list, `cancel_task` → cancel), dispatches a
request carrying `task` to the augmented handler, and tasks/get, tasks/result, tasks/list and
tasks/cancel from the server to the others. What the handlers answer is the application's: the
SDK has no receiver-side helper that builds those answers, so they are written here to the spec
with the SDK's store and helpers.

- A task-augmented request creates a task in a ScenarioTaskStore (the client's ttl policy and
  pollInterval) and answers the CreateTaskResult at once; the canned answer is stored as the
  task's result `answerDelayMs` later, from the driver's own task group (the docs use the
  private `session._task_group`): handlers run inline in the session's receive loop, so nothing
  there waits.
- tasks/result blocks until the task is terminal (spec), and its answer carries related-task
  `_meta` (spec), as the SDK's own receiver (the server's TaskResultHandler) does; the SDK adds
  none on the client side. Because handlers run inline, a tasks/result that arrives before the
  task ends stalls the session's receive loop until it does (an SDK design limit; the SDK's own
  requestor flow asks only once its polls saw a terminal status).
"""

from __future__ import annotations

import contextlib
from typing import Any

import anyio
import mcp.types as types
from anyio.abc import TaskGroup
from mcp.client.experimental.task_handlers import ExperimentalTaskHandlers
from mcp.shared.exceptions import McpError
from mcp.shared.experimental.tasks.helpers import cancel_task as store_cancel_task
from mcp.shared.experimental.tasks.helpers import is_terminal

from client_answers import SAMPLING_EXHAUSTED, CannedAnswers, as_json
from driver_common import RELATED_TASK_KEY, ObservationWriter, dump, log, now_ms
from task_store import ScenarioTaskStore

# How often a blocked tasks/result looks again (a task deleted by its ttl sends no update).
RESULT_RECHECK_S = 0.05


def _not_found(task_id: str) -> types.ErrorData:
    return types.ErrorData(code=types.INVALID_PARAMS, message=f"Task not found: {task_id}")


class TaskReceiver:
    """One session's receiver: its store, its handlers, and the records of the requests it took as tasks."""

    def __init__(
        self,
        cfg: dict[str, Any],
        answers: CannedAnswers,
        obs: ObservationWriter,
        session: str,
        spawn: TaskGroup,
    ) -> None:
        self.cfg = cfg
        self.answers = answers
        self.obs = obs
        self.session = session
        self.spawn = spawn
        self.store = ScenarioTaskStore(cfg.get("ttl", {}), cfg.get("pollInterval", 100), owner=f"client:{session}")
        # Incoming records of tasks whose answer is not stored yet (written when it is, or at the end).
        self.pending: dict[str, dict[str, Any]] = {}

    def handlers(self) -> ExperimentalTaskHandlers:
        """Only what `client.tasks` declares: the SDK turns each given handler into a capability."""
        given: dict[str, Any] = {"get_task": self.get_task, "get_task_result": self.get_task_result}
        if self.cfg.get("elicitation", True):
            given["augmented_elicitation"] = self.augmented_elicitation
        if self.cfg.get("sampling", True):
            given["augmented_sampling"] = self.augmented_sampling
        if self.cfg.get("list", True):
            given["list_tasks"] = self.list_tasks
        if self.cfg.get("cancel", True):
            given["cancel_task"] = self.cancel_task
        return ExperimentalTaskHandlers(**given)

    # -- task-augmented requests

    async def augmented_elicitation(
        self, context: Any, params: types.ElicitRequestParams, task_metadata: types.TaskMetadata
    ) -> types.CreateTaskResult | types.ErrorData:
        at = now_ms()
        return await self._create(at, "elicitation/create", params, task_metadata, self.answers.next_elicitation())

    async def augmented_sampling(
        self, context: Any, params: types.CreateMessageRequestParams, task_metadata: types.TaskMetadata
    ) -> types.CreateTaskResult | types.ErrorData:
        at = now_ms()
        answer = self.answers.next_sampling()
        if answer is None:
            # Refused at once, as a task or not: there is nothing to work on.
            error = {"code": SAMPLING_EXHAUSTED.code, "message": SAMPLING_EXHAUSTED.message}
            self.obs.write(self._record(at, "sampling/createMessage", params) | {"answerError": error})
            return SAMPLING_EXHAUSTED
        return await self._create(at, "sampling/createMessage", params, task_metadata, answer)

    def _record(self, at: float, method: str, params: Any) -> dict[str, Any]:
        return {"type": "incoming", "at": at, "method": method, "params": dump(params), "session": self.session}

    async def _create(
        self, at: float, method: str, params: Any, metadata: types.TaskMetadata, answer: types.Result
    ) -> types.CreateTaskResult:
        task = await self.store.create_task(metadata)
        self.pending[task.taskId] = self._record(at, method, params) | {"createdTask": as_json(task)}
        self.spawn.start_soon(self._answer_later, task.taskId, answer)
        return types.CreateTaskResult(task=task)

    async def _answer_later(self, task_id: str, answer: types.Result) -> None:
        """The client's "user" (or LLM) at work: stores the canned answer and completes the task."""
        await anyio.sleep(self.cfg.get("answerDelayMs", 0) / 1000)
        record = self.pending.pop(task_id, None)
        task = await self.store.get_task(task_id)
        if task is None or is_terminal(task.status):
            why = "the task is gone (its ttl elapsed)" if task is None else f"the task was {task.status} first"
            log("receiver-answer-dropped", session=self.session, taskId=task_id, why=why)
            if record is not None:
                record["answerError"] = {"code": None, "message": f"answer not stored: {why}", "local": True}
        else:
            await self.store.store_result(task_id, answer)
            await self.store.update_task(task_id, status="completed")
            log("receiver-answered", session=self.session, taskId=task_id)
            if record is not None:
                record["answer"] = as_json(answer)
        if record is not None:
            self.obs.write(record)

    def flush(self) -> None:
        """At the end of the run: tasks never answered are recorded with their CreateTaskResult only."""
        for record in self.pending.values():
            self.obs.write(record)
        self.pending.clear()

    # -- tasks/* from the server

    async def get_task(self, context: Any, params: types.GetTaskRequestParams) -> types.GetTaskResult | types.ErrorData:
        task = await self.store.get_task(params.taskId)
        if task is None:
            return _not_found(params.taskId)
        return types.GetTaskResult(**task.model_dump())

    async def get_task_result(
        self, context: Any, params: types.GetTaskPayloadRequestParams
    ) -> types.GetTaskPayloadResult | types.ErrorData:
        task_id = params.taskId
        task = await self.store.get_task(task_id)
        while task is not None and not is_terminal(task.status):
            # ValueError: the task was deleted meanwhile (its ttl); the next get_task says so.
            with anyio.move_on_after(RESULT_RECHECK_S), contextlib.suppress(ValueError):
                await self.store.wait_for_update(task_id)
            task = await self.store.get_task(task_id)
        if task is None:
            return _not_found(task_id)
        result = await self.store.get_result(task_id)
        body: dict[str, Any] = as_json(result) if result is not None else {}
        body.setdefault("_meta", {})[RELATED_TASK_KEY] = {"taskId": task_id}
        return types.GetTaskPayloadResult.model_validate(body)

    async def list_tasks(
        self, context: Any, params: types.PaginatedRequestParams | None
    ) -> types.ListTasksResult | types.ErrorData:
        try:
            tasks, next_cursor = await self.store.list_tasks(params.cursor if params else None)
        except ValueError as e:  # InMemoryTaskStore: "Invalid cursor: ..."
            return types.ErrorData(code=types.INVALID_PARAMS, message=str(e))
        return types.ListTasksResult(tasks=tasks, nextCursor=next_cursor)

    async def cancel_task(
        self, context: Any, params: types.CancelTaskRequestParams
    ) -> types.CancelTaskResult | types.ErrorData:
        try:
            # The SDK's spec-checked helper: -32602 for unknown and terminal tasks, else `cancelled`.
            return await store_cancel_task(self.store, params.taskId)
        except McpError as e:
            return e.error
