import { describe, expect, it } from 'vitest';
import { Scenario } from '../../src/vocabulary/index.js';

/** A raw-client scenario whose send step uses `templ` in its params. */
function withSend(templ: string, sendFirst = false) {
  const steps: unknown[] = [
    { callTask: 'job', as: 't' },
    { listTasks: null, name: 'page1' },
  ];
  const send = { send: 'tasks/list', params: { cursor: templ } };
  return {
    id: 'x',
    title: 'x',
    spec: ['task-listing'],
    clients: ['raw'],
    server: { tools: [{ name: 'job', execution: { taskSupport: 'optional' }, actions: [{ complete: [] }] }] },
    client: { steps: sendFirst ? [send, ...steps] : [...steps, send] },
  };
}

function problems(value: unknown): string[] {
  const r = Scenario.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('send templates at load time', () => {
  it('accepts {{alias}} and {{step.path}} naming an earlier step, by its name or its default name', () => {
    expect(problems(withSend('{{page1.nextCursor}}x'))).toEqual([]);
    expect(problems(withSend('{{t}}'))).toEqual([]);
    expect(problems(withSend('{{s1-callTask.task.taskId}}'))).toEqual([]);
  });

  it('rejects a name no earlier step gives, with the path of the field', () => {
    expect(problems(withSend('{{page1.nextCursor}}', true))).toEqual([
      expect.stringMatching(/^client\.steps\.0\.params\.cursor: \{\{page1\.nextCursor\}\} names "page1"/),
    ]);
    expect(problems(withSend('{{nope.nextCursor}}'))).toHaveLength(1);
  });
});
