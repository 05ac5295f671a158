"""Python SDK (`mcp`) client driver of the MCP Tasks interop harness.

    client.py --scenario <file> --observations <out.jsonl> --transport stdio --server-command '<JSON argv>'
    client.py --scenario <file> --observations <out.jsonl> --transport http --url <url>

Performs the scenario's client steps with the SDK's `ClientSession` and its experimental task API
(`session.experimental.*`, docs/experimental/tasks-client.md), answers elicitation and sampling
with the scenario's canned answers, and writes what it saw as observation records, one JSON line
each, as things happen. The contract is drivers/README.md.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import AsyncGenerator
from typing import Any, cast

from driver_common import (
    DEFAULT_STEP_TIMEOUT_MS,
    EXIT_DRIVER_ERROR,
    EXIT_OK,
    SAMPLING_REFUSED_CODE,
    ObservationWriter,
    arg_parser,
    describe_exception,
    dump,
    impl_label,
    load_input,
    log,
    now_ms,
    setup_logging,
    silence_sdk_deprecations,
)

silence_sdk_deprecations()

import anyio  # noqa: E402
import mcp.types as types  # noqa: E402
from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402
from mcp.shared.exceptions import McpError  # noqa: E402
from pydantic import ValidationError  # noqa: E402

try:
    from importlib.metadata import version as _pkg_version

    MCP_VERSION = _pkg_version("mcp")
except Exception:  # pragma: no cover
    MCP_VERSION = "unknown"

INITIALIZE_TIMEOUT_S = 30
TERMINAL = ("completed", "failed", "cancelled")
# What the client answers sampling/createMessage with when no canned answer is left (the spec's
# example error for a rejected sampling request).
SAMPLING_EXHAUSTED = types.ErrorData(
    code=SAMPLING_REFUSED_CODE, message="User rejected sampling request (no canned sampling answer left)"
)


SDK_LOCAL_ERRORS = {
    (types.CONNECTION_CLOSED, "Connection closed"),  # mcp.shared.session, transport closed
    (32600, "Session terminated"),  # mcp.client.streamable_http, HTTP 404 (sic: positive code)
}


class LocalFailure(Exception):
    """A step that fails in the driver, without a request (e.g. an alias without a task id)."""


def observed_error(e: BaseException) -> dict[str, Any]:
    """{code, message, data?, local?} as the contract's ObservedError."""
    if isinstance(e, McpError):
        err: dict[str, Any] = {"code": e.error.code, "message": e.error.message}
        if e.error.data is not None:
            err["data"] = e.error.data
        # Errors the SDK makes up itself, without a JSON-RPC error on the wire: pending requests
        # when the transport closes, and (Streamable HTTP) any request answered with HTTP 404.
        # No wire code (null); the SDK's own code is kept as sdkCode (as the TS driver does).
        if (e.error.code, e.error.message) in SDK_LOCAL_ERRORS:
            err.update(code=None, local=True, sdkCode=e.error.code)
        return err
    if isinstance(e, TimeoutError):
        return {"code": None, "message": str(e) or "timed out", "local": True}
    if isinstance(e, ValidationError):
        # One line: pydantic's report spans several.
        detail = "; ".join(f"{'.'.join(map(str, err['loc'])) or '(result)'}: {err['msg']}" for err in e.errors())
        return {"code": None, "message": f"the SDK could not parse the response: {detail}", "local": True}
    if isinstance(e, LocalFailure):
        return {"code": None, "message": str(e), "local": True}
    return {"code": None, "message": describe_exception(e), "local": True}


class ClientDriver:
    def __init__(self, spec: dict[str, Any], obs: ObservationWriter, impl: str) -> None:
        self.spec = spec
        self.obs = obs
        self.impl = impl
        self.elicitation_answers = list(spec["client"].get("elicitation", []))
        self.sampling_answers = list(spec["client"].get("sampling", []))
        self.aliases: dict[str, str | None] = {}
        self.steps_done = False

    # -- callbacks: run inline in the session's receive loop; they never await a session request

    async def on_elicitation(self, context: Any, params: Any) -> types.ElicitResult:
        at = now_ms()
        if self.elicitation_answers:
            canned = self.elicitation_answers.pop(0)
            answer = types.ElicitResult(action=canned["action"], content=canned.get("content"))
        else:
            answer = types.ElicitResult(action="cancel")
        self.obs.write(
            {
                "type": "incoming",
                "at": at,
                "method": "elicitation/create",
                "params": dump(params),
                "answer": answer.model_dump(by_alias=True, mode="json", exclude_none=True),
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
        }
        if not self.sampling_answers:
            record["answerError"] = {"code": SAMPLING_EXHAUSTED.code, "message": SAMPLING_EXHAUSTED.message}
            self.obs.write(record)
            return SAMPLING_EXHAUSTED
        canned = self.sampling_answers.pop(0)
        answer = types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(type="text", text=canned["text"]),
            model=canned.get("model", "interop-model"),
            stopReason="endTurn",
        )
        record["answer"] = answer.model_dump(by_alias=True, mode="json", exclude_none=True)
        self.obs.write(record)
        return answer

    async def on_message(self, message: Any) -> None:
        """Every notification (and any request the SDK did not answer itself) from the server."""
        at = now_ms()
        if isinstance(message, Exception):
            log("transport-exception", error=f"{type(message).__name__}: {message}")
            return
        root: Any
        if isinstance(message, types.ServerNotification):
            root = message.root
        else:  # a RequestResponder the session left unanswered
            root = getattr(getattr(message, "request", None), "root", None)
            if root is None:
                return
        record: dict[str, Any] = {"type": "incoming", "at": at, "method": root.method}
        params = getattr(root, "params", None)
        if params is not None:
            record["params"] = dump(params)
        self.obs.write(record)

    # -- steps

    def task_id_of(self, step: dict[str, Any]) -> str:
        alias = step.get(step["kind"])
        if alias is None:
            if step.get("taskId") is None:
                raise LocalFailure("the step names no task (neither an alias nor taskId)")
            return str(step["taskId"])
        task_id = self.aliases.get(alias)
        if task_id is None:
            raise LocalFailure(f"task alias {alias!r} has no task id (its callTask failed)")
        return task_id

    async def run_step(self, session: ClientSession, index: int, step: dict[str, Any]) -> None:
        kind = step["kind"]
        rec: dict[str, Any] = {"type": "step", "index": index, "kind": kind, "startedAt": now_ms(), "sent": []}
        timeout_ms = step.get("timeoutMs", DEFAULT_STEP_TIMEOUT_MS)
        try:
            with anyio.fail_after(timeout_ms / 1000):
                await getattr(self, f"step_{kind}")(session, step, rec)
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
        log("step", index=index, kind=kind, ok=rec["ok"], error=rec.get("error"))
        self.obs.write(rec)

    async def step_listTools(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        rec["sent"].append({"method": "tools/list"})
        rec["result"] = dump(await session.list_tools())

    async def step_callTask(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        name = step["callTask"]
        arguments = step.get("arguments", {})
        ttl = step.get("ttl")
        token = f"progress-{rec['index']}"
        alias = step.get("as")
        if alias is not None:
            self.aliases[alias] = None  # until the CreateTaskResult arrives
        rec["sent"].append(
            {
                "method": "tools/call",
                "params": {
                    "name": name,
                    "arguments": arguments,
                    "task": {"ttl": ttl} if ttl is not None else {},
                    "_meta": {"progressToken": token},
                },
            }
        )
        if ttl is not None:
            result = await session.experimental.call_tool_as_task(
                name, arguments, ttl=ttl, meta={"progressToken": token}
            )
        else:
            # call_tool_as_task always sends a ttl (default 60000); `task: {}` takes the documented
            # low-level form (docs/experimental/tasks-client.md, "Low-Level API").
            result = await session.send_request(
                types.ClientRequest(
                    types.CallToolRequest(
                        params=types.CallToolRequestParams(
                            name=name,
                            arguments=arguments,
                            task=types.TaskMetadata(),
                            _meta=types.RequestParams.Meta(progressToken=token),
                        )
                    )
                ),
                types.CreateTaskResult,
            )
        rec["result"] = dump(result)
        rec["taskId"] = result.task.taskId
        rec["task"] = dump(result.task)
        if alias is not None:
            self.aliases[alias] = result.task.taskId

    async def step_callTool(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        name = step["callTool"]
        arguments = step.get("arguments", {})
        token = f"progress-{rec['index']}"
        rec["sent"].append(
            {
                "method": "tools/call",
                "params": {"name": name, "arguments": arguments, "_meta": {"progressToken": token}},
            }
        )
        rec["result"] = dump(await session.call_tool(name, arguments, meta={"progressToken": token}))

    async def step_poll(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        until = step.get("until", list(TERMINAL))
        rec["taskId"] = task_id
        rec["polls"] = []
        # The SDK's poller: tasks/get, then waits the task's pollInterval (500 ms if absent), and
        # stops by itself at a terminal status.
        # poll_task is an async generator (typed as an AsyncIterator): closed explicitly below.
        polls = cast(AsyncGenerator[types.GetTaskResult, None], session.experimental.poll_task(task_id))
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

    async def step_getTask(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        rec["taskId"] = task_id
        rec["sent"].append({"method": "tasks/get", "params": {"taskId": task_id}})
        result = await session.experimental.get_task(task_id)
        rec["result"] = dump(result)
        rec["task"] = dump(result)

    async def step_result(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        rec["taskId"] = task_id
        rec["sent"].append({"method": "tasks/result", "params": {"taskId": task_id}})
        # GetTaskPayloadResult (extra=allow) keeps whatever the payload is, instead of making
        # a payload that is not a CallToolResult a parse error.
        rec["result"] = dump(await session.experimental.get_task_result(task_id, types.GetTaskPayloadResult))

    async def step_listTasks(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        cursor = step.get("cursor")
        rec["sent"].append({"method": "tasks/list", **({"params": {"cursor": cursor}} if cursor else {})})
        rec["result"] = dump(await session.experimental.list_tasks(cursor=cursor))

    async def step_cancel(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        task_id = self.task_id_of(step)
        rec["taskId"] = task_id
        rec["sent"].append({"method": "tasks/cancel", "params": {"taskId": task_id}})
        result = await session.experimental.cancel_task(task_id)
        rec["result"] = dump(result)
        rec["task"] = dump(result)

    async def step_wait(self, session: ClientSession, step: dict[str, Any], rec: dict[str, Any]) -> None:
        await anyio.sleep(step["wait"] / 1000)

    # -- the run

    async def run(self, transport: Any) -> None:
        async with transport as streams:
            read_stream, write_stream = streams[0], streams[1]
            async with ClientSession(
                read_stream,
                write_stream,
                sampling_callback=self.on_sampling,
                elicitation_callback=self.on_elicitation,
                message_handler=self.on_message,
                client_info=types.Implementation(name="mcp-interop-py", version=MCP_VERSION),
            ) as session:
                with anyio.fail_after(INITIALIZE_TIMEOUT_S):
                    init = await session.initialize()
                self.obs.write(
                    {
                        "type": "hello",
                        "at": now_ms(),
                        "role": "client",
                        "impl": self.impl,
                        "sdk": {"name": "mcp", "version": MCP_VERSION},
                        "protocolVersion": str(init.protocolVersion),
                        "serverCapabilities": dump(init.capabilities),
                        "serverInfo": dump(init.serverInfo),
                    }
                )
                for index, step in enumerate(self.spec["client"]["steps"]):
                    await self.run_step(session, index, step)
                self.steps_done = True


def main() -> int:
    parser = arg_parser("Python SDK (mcp) client driver of the MCP Tasks interop harness")
    parser.add_argument("--observations", required=True, help="JSON Lines file the observations are appended to")
    parser.add_argument("--server-command", help="stdio: the server's argv as a JSON array of strings")
    parser.add_argument("--url", help="http: the server's Streamable HTTP endpoint")
    args = parser.parse_args()
    if args.transport == "stdio":
        try:
            argv = json.loads(args.server_command or "")
            if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
                raise ValueError("expected a non-empty JSON array of strings")
        except ValueError as e:
            parser.error(f"--server-command: {e}")
    elif not args.url:
        parser.error("--url is required with --transport http")
    setup_logging()
    spec = load_input(args.scenario)
    obs = ObservationWriter(args.observations)
    driver = ClientDriver(spec, obs, impl_label())

    if args.transport == "stdio":
        # The exact argv and the current environment, as the contract asks.
        params = StdioServerParameters(command=argv[0], args=argv[1:], env=dict(os.environ))
        transport: Any = stdio_client(params)
    else:
        transport = streamable_http_client(args.url)

    log("start", transport=args.transport, scenario=spec["id"], sdk=f"mcp {MCP_VERSION}")
    try:
        anyio.run(driver.run, transport)
    except BaseException as e:
        if isinstance(e, (SystemExit, KeyboardInterrupt)):
            raise
        message = describe_exception(e)
        traceback.print_exc(file=sys.stderr)
        if driver.steps_done:
            # Every step ran and was recorded; the SDK raised while closing the session or the
            # transport (e.g. stdio_client's reader still delivering a late notification into the
            # closed session: anyio.BrokenResourceError). Kept in the end record, not a driver failure.
            log("teardown-error", error=message)
            obs.write({"type": "end", "at": now_ms(), "ok": True, "teardownError": message})
            obs.close()
            return EXIT_OK
        log("fatal", error=message)
        obs.write({"type": "end", "at": now_ms(), "ok": False, "error": message})
        obs.close()
        return EXIT_DRIVER_ERROR
    obs.write({"type": "end", "at": now_ms(), "ok": True})
    obs.close()
    log("exit")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
