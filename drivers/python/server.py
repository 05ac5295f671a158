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
    sdk_version,
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

from server_actions import run_actions  # noqa: E402
from task_store import ScenarioTaskStore  # noqa: E402

MCP_VERSION = sdk_version()


def declares_tools_call(server: Server[Any, Any]) -> bool:
    """Whether the SDK declares tasks.requests.tools.call: mcp >= 1.27.0 always does once task
    handlers are registered, 1.23.0-1.26.0 never do (python-sdk#1995). Feature detection, read
    from the initialization options the SDK will send."""
    declared = server.create_initialization_options().capabilities.tasks
    return bool(declared and declared.requests and declared.requests.tools and declared.requests.tools.call is not None)


def build_server(spec: dict[str, Any]) -> Server[Any, Any]:
    server_spec = spec["server"]
    caps = server_spec.get("capabilities", {})
    tools_by_name = {t["name"]: t for t in server_spec["tools"]}

    server: Server[Any, Any] = Server("mcp-interop-py", version=MCP_VERSION)
    store = ScenarioTaskStore(server_spec.get("ttl", {}), server_spec.get("pollInterval", 100), owner="server")
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

    # tasks.requests.tools.call cannot be left out where the SDK declares it (>= 1.27.0; also
    # declared in driver.json `cannot` for that range); before 1.27.0 leaving it out is what the
    # SDK does anyway, so the scenario runs. The SDK's capabilities are never patched (the wire).
    if caps.get("toolsCall") is False and declares_tools_call(server):
        unsupported(
            "capability:no-tools-call",
            f"mcp {MCP_VERSION} always declares tasks.requests.tools.call once task handlers are registered "
            "(ExperimentalHandlers.update_capabilities: 'assuming always supported for now'); no setting leaves it out",
        )

    @server.list_tools()
    async def list_tools() -> list[types.Tool]:
        return [
            types.Tool.model_validate({k: v for k, v in tool.items() if k not in ("actions", "immediateResponse")})
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

            # immediateResponse: the SDK's own parameter puts it in the CreateTaskResult's
            # _meta["io.modelcontextprotocol/model-immediate-response"].
            created: types.CreateTaskResult = await ctx.experimental.run_task(
                work, model_immediate_response=tool.get("immediateResponse")
            )
            return created

        return await run_actions(tool, scope, session, token, task=None, request_id=ctx.request_id)

    return server


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
