/**
 * The races the diff knows, each one explicit. Two runs of the same cell differ here by timing
 * alone, so these differences are not reported; everything else is. Numbered as in README.md;
 * race 1, how a POST stream ended after its response, is handled where the trace is normalised
 * (normalise.ts).
 *
 * 2. Poll sampling. A tasks/get or tasks/list answer is the task's status at that moment, and
 *    whether a poll lands before or after a transition is timing: where the two sides' status
 *    sequences disagree, a stretch in which one side read only `working` means that side polled
 *    before the task moved on (`working → completed` against `completed`; a single getTask
 *    reading `working` against `completed`). Any other status disagreement is reported.
 * 3. Standalone-stream delivery (HTTP). A server without an event store delivers a notification
 *    on the GET stream only while that stream is open, and the client opens it concurrently with
 *    its first requests. A status notification missing on one side is explained when, on that
 *    side, the task was seen in that status before its GET stream opened (or it had none).
 * 4. Teardown. Once the client's last request is answered it closes the connection, while a task
 *    may still be running in the background. A server notification that arrived after the
 *    client's last request was answered may or may not be recorded; and a status notification
 *    missing on one side is explained when, on that side, the task was never seen in that status
 *    and was last seen still running (the client left before it got there).
 * 5. Server process teardown (stdio). When the client is done it closes the server's stdin, and
 *    the harness stops the process group once the client has exited: the server's exit is then
 *    recorded with code 0, as stopped by the harness (SIGTERM, SIGKILL after the grace period),
 *    or not at all (the tap was stopped first). Those exits after the client's last request was
 *    answered are the same teardown; a non-zero exit code (a crash) or an earlier exit is not.
 * 6. An abandoned request. A client that gives up waiting for a request without cancelling it
 *    (it sends the same method for the same task again while the first is unanswered) may or
 *    may not still be connected when the server answers the first: its response arrives, its
 *    stream is cut, or neither is recorded. Where both sides abandoned the request, how it ended
 *    is not compared unless both have a response (then the responses are). A request that was
 *    cancelled is not abandoned: the cancellation names it as the unit it is (`tasks/result (task1) #1`),
 *    not by its id, whose number moves with the polls before it. Handled in units.ts and diff.ts.
 * 7. Two sessions' bodiless exchanges (HTTP). A client with two sessions opens their GET streams
 *    and closes them (DELETE) concurrently: with several sessions these are numbered within
 *    their session, not by arrival (normalise.ts).
 * 8. A GET stream the client gave up before it opened (HTTP). The Python client opens its GET
 *    stream in the background; when its conversation ends before the server has answered that
 *    GET, it hangs up and the GET has no status, only the client's cut. Against a GET that opened
 *    (200) this is the same stream, not a difference; whatever the open one carried is compared
 *    on its own (races 3 and 4). Another status, or a cut GET against a refused one, is reported.
 */
import { isObject, TERMINAL } from '../judge/trace-index.js';
import { type Conversation, kindOf, type Step } from './conversation.js';
import { CLIENT_CLOSED } from './normalise.js';
import type { Unit } from './units.js';

/** Race 2 for tasks/get: a gap in the status alignment that one side spent reading `working`. */
export function isSamplingGap(gapA: readonly Unit[], gapB: readonly Unit[]): boolean {
  const onlyWorking = (g: readonly Unit[]) => g.length > 0 && g.every((u) => u.status === 'working');
  return onlyWorking(gapA) || onlyWorking(gapB);
}

/** Race 2 for one Task object of a tasks/list answer: read `working` on one side only. */
export function isSampledTask(a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b) || a.status === b.status) return false;
  return a.status === 'working' || b.status === 'working';
}

/** What one side's conversation says about when notifications could reach the client. */
export class DeliveryWindow {
  /** Index of the first step after which server messages are in the teardown tail. */
  readonly tailStart: number;
  /** Index of the first GET stream that opened (status 200), when there was one. */
  readonly getOpen: number | undefined;
  /** First index at which each `task|status` was seen in a result. */
  private readonly seen = new Map<string, number>();
  /** The last status each task was seen in (results and status notifications). */
  private readonly last = new Map<string, string>();

  constructor(private readonly conv: Conversation) {
    let tail = -1;
    let getOpen: number | undefined;
    const answers = new Map<string, number>();
    conv.steps.forEach((step, i) => {
      if (step.from === 'server' && step.response !== undefined && typeof step.id === 'string') answers.set(step.id, i);
    });
    conv.steps.forEach((step, i) => {
      if (step.from === 'client' && kindOf(step) !== 'http') tail = Math.max(tail, i, step.request ? (answers.get(step.id ?? '') ?? i) : i);
      if (getOpen === undefined && step.http?.startsWith('GET') && step.status === 200) getOpen = i;
      if (step.from === 'server' && isObject(step.result)) this.noteTasks(step.result, i);
      if (step.notification === 'notifications/tasks/status' && isObject(step.params)) this.noteLast(step.params);
    });
    this.tailStart = tail;
    this.getOpen = getOpen;
  }

  private noteTasks(result: Record<string, unknown>, i: number): void {
    const note = (t: unknown) => {
      if (isObject(t) && typeof t.taskId === 'string' && typeof t.status === 'string') {
        const key = `${t.taskId}|${t.status}`;
        if (!this.seen.has(key)) this.seen.set(key, i);
        this.noteLast(t);
      }
    };
    note(result);
    note(result.task);
    if (Array.isArray(result.tasks)) for (const t of result.tasks) note(t);
  }

  private noteLast(t: Record<string, unknown>): void {
    if (typeof t.taskId === 'string' && typeof t.status === 'string') this.last.set(t.taskId, t.status);
  }

  /** Race 4, asked of the side where a status notification is missing: the client left first. */
  leftBefore(task: string, status: string): boolean {
    const last = this.last.get(task);
    return last !== undefined && !TERMINAL.has(last) && !this.seen.has(`${task}|${status}`);
  }

  /** Race 4: the step arrived after the client's last request was answered. */
  inTail(step: number): boolean {
    return step > this.tailStart;
  }

  /** Race 3, asked of the side where a status notification is missing. */
  couldNotDeliver(task: string, status: string): boolean {
    if (this.conv.transport !== 'http') return false;
    if (this.getOpen === undefined) return true;
    const at = this.seen.get(`${task}|${status}`);
    return at !== undefined && at < this.getOpen;
  }
}

const HARNESS_STOP = new Set(['SIGTERM', 'SIGKILL']);

/** Race 5: the step is the server's exit at teardown (code 0 or stopped by the harness, once the client was done). */
export function isTeardownExit(conv: Conversation, window: DeliveryWindow, index: number): boolean {
  const step = conv.steps[index];
  if (step?.process !== 'exit' || !window.inTail(index)) return false;
  return step.code === 0 || (typeof step.signal === 'string' && HARNESS_STOP.has(step.signal));
}

/**
 * Why a unit present on one side may be missing on the other (races 3, 4 and 5), or undefined
 * when its absence is a difference.
 */
export function explainedAbsence(
  unit: Unit,
  present: DeliveryWindow,
  absent: DeliveryWindow,
  presentConv: Conversation,
): string | undefined {
  if (isTeardownExit(presentConv, present, unit.step)) return 'teardown';
  if (unit.from !== 'server' || unit.method === undefined || !unit.method.startsWith('notifications/')) return undefined;
  if (present.inTail(unit.step)) return 'teardown';
  const step = presentConv.steps[unit.step]!;
  const params = step.params;
  if (unit.method !== 'notifications/tasks/status' || !isObject(params)) return undefined;
  const task = String(params.taskId);
  const status = String(params.status);
  if (absent.leftBefore(task, status)) return 'teardown';
  if (step.via?.stream === 'get-sse' && absent.couldNotDeliver(task, status)) return 'GET stream not open yet';
  return undefined;
}

/** Race 8: one side's GET opened (200), the other's was hung up on before the server answered. */
export function isUnopenedGet(a: Step, b: Step): boolean {
  const unopened = (s: Step) => s.status === undefined && s.via?.cut === CLIENT_CLOSED;
  const opened = (s: Step) => s.status === 200 && s.via?.cut === undefined;
  if (!a.http?.startsWith('GET') || a.http !== b.http) return false;
  return (unopened(a) && opened(b)) || (opened(a) && unopened(b));
}
