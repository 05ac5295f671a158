"""The client steps of the contract (drivers/README.md, "Client driver"), each with the Python SDK's API.

`session.experimental.call_tool_as_task` (or the low-level request for `task: {}`) creates a task,
`session.call_tool` makes a plain call, and `session.experimental.poll_task` / `get_task` /
`get_task_result` / `list_tasks` / `cancel_task` do the rest. `awaitTask` is in client_await.py.
Each step runs on the session it names (client.sessions) and is recorded when it ends.
"""

from __future__ import annotations

from typing import Any

import anyio

from client_await import await_task
from client_calls import (
    TERMINAL,
    SessionState,
    call_task_sent,
    create_task,
    get_payload,
    plain_call_sent,
    progress_token,
    sdk_poller,
)
from client_errors import LocalFailure, observed_error
from driver_common import DEFAULT_STEP_TIMEOUT_MS, ObservationWriter, dump, log, now_ms

# listTasks with `all`: the most pages followed before giving up (a server whose cursors never end).
MAX_LIST_PAGES = 100


class StepRunner:
    def __init__(self, sessions: dict[str, SessionState], default: str, obs: ObservationWriter) -> None:
        self.sessions = sessions
        self.default = default
        self.obs = obs
        # Task ids by the `as` alias of the step that created them (shared by all sessions).
        self.aliases: dict[str, str | None] = {}

    def remember(self, alias: str | None, task_id: str | None) -> None:
        if alias is not None:
            self.aliases[alias] = task_id

    def task_id_of(self, step: dict[str, Any]) -> str:
        alias = step.get(step["kind"])
        if alias is None:
            if step.get("taskId") is None:
                raise LocalFailure("the step names no task (neither an alias nor taskId)")
            return str(step["taskId"])
        task_id = self.aliases.get(alias)
        if task_id is None:
            raise LocalFailure(f"task alias {alias!r} has no task id (the step that should create it did not)")
        return task_id

    async def run(self, index: int, step: dict[str, Any]) -> None:
        kind = step["kind"]
        state = self.sessions[step.get("session") or self.default]
        rec: dict[str, Any] = {
            "type": "step",
            "index": index,
            "kind": kind,
            "startedAt": now_ms(),
            "sent": [],
            "session": state.name,
        }
        timeout_ms = step.get("timeoutMs", DEFAULT_STEP_TIMEOUT_MS)
        try:
            with anyio.fail_after(timeout_ms / 1000):
                await getattr(self, f"step_{kind}")(state, step, rec)
            rec["ok"] = True
        except TimeoutError:
            rec["ok"] = False
            rec["error"] = {"code": None, "message": f"step timed out after {timeout_ms} ms", "local": True}
        except Exception as e:
            rec["ok"] = False
            rec["error"] = observed_error(e)
        except BaseException as e:
            # Cancelled from outside: the SDK's transport task group failed (e.g. an HTTP POST
            # that cannot connect raises out of streamable_http_client). Record the step, go on dying.
            rec["ok"] = False
            rec["error"] = {
                "code": None,
                "message": f"interrupted ({type(e).__name__}): the SDK's transport failed, see the end record",
                "local": True,
            }
            rec["endedAt"] = now_ms()
            self.obs.write(rec)
            raise
        rec["endedAt"] = now_ms()
        log("step", index=index, kind=kind, session=state.name, ok=rec["ok"], error=rec.get("error"))
        self.obs.write(rec)

    # -- steps

    async def step_listTools(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        rec["sent"].append({"method": "tools/list"})
        listed = await state.session.list_tools()
        rec["result"] = dump(listed)
        state.tools = {t.name: (t.execution.taskSupport if t.execution else None) for t in listed.tools}

    async def step_callTask(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        # `repeat` calls one after the other; taskId/task/result and the alias are the last one's, taskIds all.
        name, arguments, ttl, alias = step["callTask"], step.get("arguments", {}), step.get("ttl"), step.get("as")
        repeat: int = step.get("repeat", 1)
        self.remember(alias, None)  # until a CreateTaskResult arrives
        for i in range(repeat):
            # A progressToken must be unique among active requests: one per task of a repeat.
            token = progress_token(rec) if repeat == 1 else f"{progress_token(rec)}-{i + 1}"
            rec["sent"].append(call_task_sent(name, arguments, ttl, token))
            result = await create_task(state.session, name, arguments, ttl, token)
            rec["result"] = dump(result)
            rec["taskId"] = result.task.taskId
            rec["task"] = dump(result.task)
            if repeat > 1:
                rec.setdefault("taskIds", []).append(result.task.taskId)
            self.remember(alias, result.task.taskId)

    async def step_callTool(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        name, arguments, token = step["callTool"], step.get("arguments", {}), progress_token(rec)
        rec["sent"].append(plain_call_sent(name, arguments, token))
        rec["result"] = dump(await state.session.call_tool(name, arguments, meta={"progressToken": token}))

    async def step_awaitTask(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        await await_task(state, step, rec, self.remember)

    async def step_poll(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        until = step.get("until", list(TERMINAL))
        rec["taskId"] = task_id
        rec["polls"] = []
        rec["polledBy"] = "sdk"
        # The SDK's poller: tasks/get, then waits the task's pollInterval (500 ms if absent), and
        # stops by itself at a terminal status.
        polls = sdk_poller(state.session, task_id)
        try:
            while True:
                rec["sent"].append({"method": "tasks/get", "params": {"taskId": task_id}})
                try:
                    status = await polls.__anext__()
                except StopAsyncIteration:
                    rec["sent"].pop()  # the poller ended without another request
                    last = rec["polls"][-1]["status"] if rec["polls"] else None
                    raise LocalFailure(f"the task ended {last!r}, none of {until}") from None
                rec["polls"].append({"at": now_ms(), "status": status.status})
                rec["result"] = dump(status)
                rec["task"] = dump(status)
                if status.status in until:
                    return
        finally:
            await polls.aclose()

    async def step_getTask(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        rec["taskId"] = task_id
        rec["sent"].append({"method": "tasks/get", "params": {"taskId": task_id}})
        result = await state.session.experimental.get_task(task_id)
        rec["result"] = dump(result)
        rec["task"] = dump(result)

    async def step_result(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        rec["taskId"] = task_id
        rec["sent"].append({"method": "tasks/result", "params": {"taskId": task_id}})
        rec["result"] = dump(await get_payload(state.session, task_id))

    async def step_listTasks(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        cursor: str | None = step.get("cursor")
        if not step.get("all"):
            rec["sent"].append({"method": "tasks/list", **({"params": {"cursor": cursor}} if cursor else {})})
            rec["result"] = dump(await state.session.experimental.list_tasks(cursor=cursor))
            return
        # Every page, following nextCursor; `result` is the union, so expectations judge the whole list.
        pages: list[dict[str, Any]] = []
        rec["pages"] = pages
        listed: list[Any] = []
        while True:
            if len(pages) == MAX_LIST_PAGES:
                raise LocalFailure(f"tasks/list: still a nextCursor after {MAX_LIST_PAGES} pages")
            rec["sent"].append({"method": "tasks/list", **({"params": {"cursor": cursor}} if cursor else {})})
            page = await state.session.experimental.list_tasks(cursor=cursor)
            pages.append({**({"cursor": cursor} if cursor is not None else {}), "result": dump(page)})
            listed.extend(dump(page).get("tasks", []))
            rec["result"] = {"tasks": listed}
            if page.nextCursor is None:
                return
            cursor = page.nextCursor

    async def step_cancel(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        rec["taskId"] = task_id
        rec["sent"].append({"method": "tasks/cancel", "params": {"taskId": task_id}})
        result = await state.session.experimental.cancel_task(task_id)
        rec["result"] = dump(result)
        rec["task"] = dump(result)

    async def step_wait(self, state: SessionState, step: dict[str, Any], rec: dict[str, Any]) -> None:
        await anyio.sleep(step["wait"] / 1000)
