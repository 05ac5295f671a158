"""Python SDK (`mcp`) server driver of the MCP Tasks interop harness.

    server.py --scenario <file> --transport stdio
    server.py --scenario <file> --transport http --port <port>

Serves the scenario's tools with the SDK's lowlevel `Server` and its experimental tasks API, the
way the SDK documents it (docs/experimental/*, examples/servers/simple-task-interactive):
`server.experimental.enable_tasks(...)` registers the default tasks/* handlers, and a
task-augmented tools/call is answered with `ctx.experimental.run_task(work)`. Where the SDK
deviates from the spec the driver does NOT work around it: the cell shows it. The contract is
drivers/README.md.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import socket
import sys
from collections.abc import AsyncIterator
from typing import Any

from driver_common import (
    EXIT_DRIVER_ERROR,
    EXIT_OK,
    READY_PREFIX,
    arg_parser,
    describe_exception,
    is_clean_exit,
    load_input,
    log,
    render,
    setup_logging,
    silence_sdk_deprecations,
    unsupported,
)

silence_sdk_deprecations()

import anyio  # noqa: E402
import mcp.types as types  # noqa: E402
from mcp.server.experimental.task_context import ServerTaskContext  # noqa: E402
from mcp.server.lowlevel import Server  # noqa: E402
from mcp.server.stdio import stdio_server  # noqa: E402
from mcp.shared.experimental.tasks.in_memory_task_store import InMemoryTaskStore  # noqa: E402

try:
    from importlib.metadata import version as _pkg_version

    MCP_VERSION = _pkg_version("mcp")
except Exception:  # pragma: no cover
    MCP_VERSION = "unknown"

SLICE_S = 0.01  # how often sleep/waitForCancel look at the task's cancellation flag


class ScenarioTaskStore(InMemoryTaskStore):
    """The SDK's InMemoryTaskStore, with the scenario's ttl policy and pollInterval applied at creation.

    `TaskStore` is the SDK's documented extension point ("Custom TaskStore implementation",
    `enable_tasks(store=...)`), and `run_task` has no ttl/pollInterval parameters. Only creation
    changes; storage, expiry, transitions and errors stay the SDK's.

    PRIVATE: the SDK hard-codes pollInterval=500 in `create_task_state` and offers no parameter,
    so the stored Task's pollInterval is set through InMemoryTaskStore's private `_tasks` dict.
    """

    def __init__(self, ttl_policy: dict[str, Any], poll_interval: int) -> None:
        super().__init__()
        self._policy = ttl_policy
        self._poll_interval = poll_interval

    def ttl_for(self, requested: int | None) -> int | None:
        policy = self._policy
        if policy.get("honourRequested", True) and requested is not None:
            cap = policy.get("max")
            return min(requested, cap) if cap is not None else requested
        return policy.get("default")  # None = unlimited

    async def create_task(self, metadata: types.TaskMetadata, task_id: str | None = None) -> types.Task:
        ttl = self.ttl_for(metadata.ttl)
        task = await super().create_task(types.TaskMetadata(ttl=ttl), task_id)
        self._tasks[task.taskId].task.pollInterval = self._poll_interval  # private, see class doc
        task.pollInterval = self._poll_interval
        log("task-created", taskId=task.taskId, requestedTtl=metadata.ttl, ttl=ttl, pollInterval=self._poll_interval)
        return task


class Stop(Exception):
    """Internal: the task was cancelled, stop running the tool's actions."""


def build_server(spec: dict[str, Any]) -> Server[Any, Any]:
    server_spec = spec["server"]
    caps = server_spec.get("capabilities", {})
    if caps.get("toolsCall") is False:
        unsupported(
            "capability:no-tools-call",
            "mcp 1.30.0 always declares tasks.requests.tools.call once task handlers are registered "
            "(ExperimentalHandlers.update_capabilities: 'assuming always supported for now')",
        )
    tools_by_name = {t["name"]: t for t in server_spec["tools"]}

    server: Server[Any, Any] = Server("mcp-interop-py", version=MCP_VERSION)
    store = ScenarioTaskStore(server_spec.get("ttl", {}), server_spec.get("pollInterval", 100))
    # Registers the default tasks/get, tasks/result, tasks/list and tasks/cancel handlers; the
    # tasks capability is derived from which of them are registered.
    server.experimental.enable_tasks(store=store)

    running: dict[str, ServerTaskContext] = {}

    # Capabilities: the SDK declares tasks.list / tasks.cancel exactly when a handler for the
    # request is registered, so not offering one means not registering (removing) its handler.
    if caps.get("list") is False:
        del server.request_handlers[types.ListTasksRequest]
    if caps.get("cancel") is False:
        del server.request_handlers[types.CancelTaskRequest]
    else:
        # The SDK's default tasks/cancel only marks the task cancelled in the store; its
        # documented cancellation pattern (docs/experimental/tasks-server.md, "Handling
        # Cancellation") is to signal the running work with `request_cancellation()` so that it
        # can check `is_cancelled`. The answer on the wire is the SDK's default handler's, untouched.
        # The registered handler stays the SDK's default one (session scoping, errors, result),
        # called from a handler registered with the documented decorator.
        default_cancel = server.request_handlers[types.CancelTaskRequest]

        @server.experimental.cancel_task()
        async def cancel_and_signal(req: types.CancelTaskRequest) -> types.CancelTaskResult:
            result = (await default_cancel(req)).root
            task_ctx = running.get(req.params.taskId)
            log("cancel", taskId=req.params.taskId, running=task_ctx is not None)
            if task_ctx is not None:
                task_ctx.request_cancellation()
            return result  # type: ignore[return-value]

    @server.list_tools()
    async def list_tools() -> list[types.Tool]:
        return [
            types.Tool.model_validate({k: v for k, v in tool.items() if k != "actions"})
            for tool in server_spec["tools"]
        ]

    @server.call_tool()
    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult | types.CreateTaskResult:
        ctx = server.request_context
        tool = tools_by_name.get(name)
        if tool is None:
            raise ValueError(f"Unknown tool: {name}")
        mode = (tool.get("execution") or {}).get("taskSupport")
        is_task = ctx.experimental.is_task
        log("tools/call", tool=name, task=is_task, taskSupport=mode, requestId=ctx.request_id)
        # The SDK's documented taskSupport check. It raises McpError(-32601) for a required tool
        # called without `task` and a forbidden tool called with it; what reaches the wire is
        # whatever the SDK's call_tool decorator makes of that.
        ctx.experimental.validate_task_mode(mode)

        # Captured now: server.request_context is not valid inside the background work.
        session = ctx.session
        token = ctx.meta.progressToken if ctx.meta else None
        scope: dict[str, Any] = {"arguments": arguments}

        if is_task:

            async def work(task: ServerTaskContext) -> types.CallToolResult:
                running[task.task_id] = task
                try:
                    return await run_actions(tool, scope, session, token, task=task, request_id=None)
                finally:
                    running.pop(task.task_id, None)
                    log("work-end", taskId=task.task_id, cancelled=task.is_cancelled)

            created: types.CreateTaskResult = await ctx.experimental.run_task(work)
            return created

        return await run_actions(tool, scope, session, token, task=None, request_id=ctx.request_id)

    return server


async def run_actions(
    tool: dict[str, Any],
    scope: dict[str, Any],
    session: Any,
    token: str | int | None,
    *,
    task: ServerTaskContext | None,
    request_id: Any,
) -> types.CallToolResult:
    """Runs the tool's actions in order; returns the CallToolResult the tool ends with."""
    task_id = task.task_id if task else None
    try:
        for action in tool["actions"]:
            kind = action["kind"]
            log("action", kind=kind, taskId=task_id, tool=tool["name"])
            if kind == "sleep":
                await sleep_unless_cancelled(action["sleep"], task)
            elif kind == "progress":
                if token is None:
                    log("progress-skipped", reason="no progressToken in the request", taskId=task_id)
                    continue
                await session.send_progress_notification(
                    token,
                    action["progress"],
                    action.get("total"),
                    action.get("message"),
                    # inline: on the request's own stream; a task's request has been answered already
                    related_request_id=str(request_id) if request_id is not None else None,
                )
            elif kind == "status":
                if task is None:
                    log("status-skipped", reason="not a task")
                    continue
                await task.update_status(action["status"])
            elif kind == "elicit":
                answer: types.ElicitResult
                if task is not None:
                    answer = await task.elicit(action["elicit"], action["requestedSchema"])
                else:
                    answer = await session.elicit_form(
                        action["elicit"], action["requestedSchema"], related_request_id=request_id
                    )
                scope[action.get("as", "elicitation")] = answer.model_dump(
                    by_alias=True, mode="json", exclude_none=True
                )
                log("elicit-answer", taskId=task_id, action=answer.action)
            elif kind == "sample":
                messages = [
                    types.SamplingMessage(role="user", content=types.TextContent(type="text", text=action["sample"]))
                ]
                max_tokens = action.get("maxTokens", 100)
                sampled: types.CreateMessageResult
                if task is not None:
                    sampled = await task.create_message(messages, max_tokens=max_tokens)
                else:
                    sampled = await session.create_message(
                        messages, max_tokens=max_tokens, related_request_id=request_id
                    )
                scope[action.get("as", "sampling")] = sampled.model_dump(by_alias=True, mode="json", exclude_none=True)
                log("sample-answer", taskId=task_id)
            elif kind == "complete":
                body: dict[str, Any] = {"content": render(action["complete"], scope)}
                if "structuredContent" in action:
                    body["structuredContent"] = render(action["structuredContent"], scope)
                return types.CallToolResult.model_validate(body)
            elif kind == "fail":
                content = render(action["fail"], scope)
                result = types.CallToolResult.model_validate({"content": content, "isError": True})
                if task is not None:
                    # The SDK documents no way to end a task `failed` WITH a result: fail(error)
                    # only sets status and statusMessage (no stored result), and returning an
                    # isError result from run_task's work ends the task `completed`. Closest
                    # documented: fail(); run_task then skips its auto-complete.
                    message = action.get("statusMessage") or " ".join(
                        c.get("text", "") for c in content if isinstance(c, dict)
                    )
                    await task.fail(message)
                return result
            elif kind == "throw":
                raise RuntimeError(action["throw"])
            elif kind == "waitForCancel":
                await wait_for_cancel(action["waitForCancel"], task)
            else:  # pragma: no cover - the input was validated against the vocabulary
                raise ValueError(f"unknown action kind {kind!r}")
    except Stop:
        log("stopped", reason="task cancelled", taskId=task_id)
        return types.CallToolResult(content=[])
    return types.CallToolResult(content=[])


async def sleep_unless_cancelled(ms: int, task: ServerTaskContext | None) -> None:
    if task is None:
        await anyio.sleep(ms / 1000)
        return
    deadline = anyio.current_time() + ms / 1000
    while True:
        if task.is_cancelled:
            raise Stop()
        left = deadline - anyio.current_time()
        if left <= 0:
            return
        await anyio.sleep(min(SLICE_S, left))


async def wait_for_cancel(ms: int, task: ServerTaskContext | None) -> None:
    if task is None:
        # Nothing to cancel but the request itself (notifications/cancelled cancels this handler).
        await anyio.sleep(ms / 1000)
        return
    deadline = anyio.current_time() + ms / 1000
    while anyio.current_time() < deadline:
        if task.is_cancelled:
            raise Stop()
        await anyio.sleep(SLICE_S)
    log("waitForCancel-timeout", taskId=task.task_id, ms=ms)


# ---------------------------------------------------------------------------------------------
# Transports


async def serve_stdio(server: Server[Any, Any]) -> None:
    async with stdio_server() as (read_stream, write_stream):
        # Exit promptly when stdin closes (contract): server.run() would otherwise wait for the
        # background work still running in TaskSupport's task group. The messages go through a
        # pass-through stream only to notice the end of stdin; nothing on the wire changes.
        send, receive = anyio.create_memory_object_stream[Any](0)
        async with anyio.create_task_group() as tg:

            async def pump() -> None:
                async with send:
                    async for message in read_stream:
                        await send.send(message)
                log("stdin-closed")
                tg.cancel_scope.cancel()

            tg.start_soon(pump)
            await server.run(receive, write_stream, server.create_initialization_options())
            tg.cancel_scope.cancel()


async def serve_http(server: Server[Any, Any], port: int) -> None:
    import uvicorn
    from mcp.server.fastmcp.server import StreamableHTTPASGIApp
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from starlette.applications import Starlette
    from starlette.routing import Route

    # As the SDK's docs and examples set it up (examples/servers/simple-task-interactive), except
    # the route: their `Mount("/mcp", ...)` answers every request to /mcp with a 307 redirect to
    # /mcp/ (Starlette's redirect_slashes), so the endpoint is routed at exactly /mcp the way the
    # SDK's own FastMCP.streamable_http_app() does it: Route(path, StreamableHTTPASGIApp(manager)).
    session_manager = StreamableHTTPSessionManager(app=server, json_response=False, stateless=False)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with session_manager.run():
            yield

    app = Starlette(routes=[Route("/mcp", endpoint=StreamableHTTPASGIApp(session_manager))], lifespan=lifespan)

    # Bind first, so that a taken port is a clear error (exit 1), never a silent other port.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as e:
        reason = "port is already in use" if e.errno == errno.EADDRINUSE else str(e)
        sys.stderr.write(f"cannot listen on 127.0.0.1:{port}: {reason}\n")
        sys.stderr.flush()
        sys.exit(EXIT_DRIVER_ERROR)
    sock.listen(128)
    sock.set_inheritable(True)

    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        # Open SSE streams would otherwise hold a SIGTERM'd server forever.
        timeout_graceful_shutdown=1,
    )
    uv_server = uvicorn.Server(config)

    async with anyio.create_task_group() as tg:

        async def announce() -> None:
            while not uv_server.started:
                await anyio.sleep(0.01)
            url = f"http://127.0.0.1:{port}/mcp"
            log("ready", url=url)
            sys.stdout.write(f"{READY_PREFIX} {url}\n")
            sys.stdout.flush()

        tg.start_soon(announce)
        await uv_server.serve(sockets=[sock])  # handles SIGTERM/SIGINT itself
        tg.cancel_scope.cancel()


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(EXIT_OK)


def main() -> int:
    parser = arg_parser("Python SDK (mcp) server driver of the MCP Tasks interop harness")
    parser.add_argument("--port", type=int, help="HTTP port on 127.0.0.1 (http transport)")
    args = parser.parse_args()
    if args.transport == "http" and args.port is None:
        parser.error("--port is required with --transport http")
    setup_logging()
    spec = load_input(args.scenario)
    server = build_server(spec)
    log("start", transport=args.transport, port=args.port, scenario=spec["id"], sdk=f"mcp {MCP_VERSION}")
    try:
        if args.transport == "stdio":
            anyio.run(serve_stdio, server)
        else:
            # uvicorn handles SIGTERM/SIGINT while it serves (graceful shutdown), then re-raises
            # the signal with the handler that was there before it: make that one a clean exit 0
            # instead of death by signal (143).
            signal.signal(signal.SIGTERM, _exit_on_signal)
            anyio.run(serve_http, server, args.port)
    except KeyboardInterrupt:
        pass
    except BaseException as e:
        if is_clean_exit(e):
            return EXIT_OK
        if isinstance(e, SystemExit):
            raise
        # the SDK's own exceptions end up here (e.g. an ExceptionGroup from its task groups)
        import traceback

        log("fatal", error=describe_exception(e))
        traceback.print_exc(file=sys.stderr)
        return EXIT_DRIVER_ERROR
    log("exit")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
