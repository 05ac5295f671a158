/**
 * The driver contract's constants (drivers/README.md), defined once: TS drivers import them;
 * drivers in other languages read them from drivers/vocabulary.schema.json (`$defs.Contract.const`).
 */
export const CONTRACT = {
  /** Exit codes of a driver process. */
  exit: { ok: 0, driverError: 1, usage: 2, unsupported: 127 },
  /** Line prefixes: `unsupported: <feature>: <reason>` on stderr before exit 127; `ready: <url>` on stdout (HTTP servers). */
  prefixes: { unsupported: 'unsupported:', ready: 'ready:' },
  /** Environment the harness sets for every driver process. */
  env: {
    /** The implementation as the cell id shows it: `ts-mcp` or `ts-mcp@1.29.0`. */
    impl: 'MCP_INTEROP_IMPL',
    /** The implementation's name without release: `ts-mcp`. */
    implName: 'MCP_INTEROP_IMPL_NAME',
    /** The SDK release's version (as its metadata declares it). */
    sdkVersion: 'MCP_INTEROP_SDK_VERSION',
    /** The SDK release's install folder ({sdk} in driver.json commands). */
    sdkDir: 'MCP_INTEROP_SDK_DIR',
  },
  defaults: {
    /** A step's timeout when it sets no `timeoutMs`. */
    stepTimeoutMs: 10_000,
    /** Wait between polls when the last tasks/get carried no pollInterval. */
    pollIntervalMs: 500,
  },
  /** JSON-RPC error code a client answers sampling/createMessage with when no canned answer is left (the spec's example "User rejected sampling request"). */
  samplingRefusedCode: -1,
  /** The `_meta` key of related-task metadata. */
  relatedTaskKey: 'io.modelcontextprotocol/related-task',
  /** The `_meta` key of a CreateTaskResult's string for the model to use at once (spec: Creating Tasks). */
  immediateResponseKey: 'io.modelcontextprotocol/model-immediate-response',
} as const;
