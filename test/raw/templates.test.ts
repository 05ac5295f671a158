import { describe, expect, it } from 'vitest';
import { substitute, TemplateError, type TemplateScope } from '../../drivers/raw/templates.js';

const scope: TemplateScope = {
  taskId: (alias) => ({ t: 'task-1', u: 'task-2' })[alias],
  stepResult: (name) =>
    name === 'page1' ? { found: true, value: { nextCursor: 'c-10', tasks: [{ taskId: 'x' }], n: 7 } } : { found: false },
};

describe('raw client templates', () => {
  it('replaces a whole-string alias with the task id and leaves other strings and keys alone', () => {
    expect(substitute({ taskId: '{{t}}', note: 'plain', '{{t}}': 1 }, scope)).toEqual({ taskId: 'task-1', note: 'plain', '{{t}}': 1 });
  });

  it('replaces templates inside longer strings and nested values', () => {
    expect(substitute({ a: ['id={{ t }}/{{u}}'], b: { cursor: '{{page1.nextCursor}}x' } }, scope)).toEqual({
      a: ['id=task-1/task-2'],
      b: { cursor: 'c-10x' },
    });
  });

  it('gives a whole-string step path the value with its JSON type', () => {
    expect(substitute({ n: '{{page1.n}}', first: '{{page1.tasks.0.taskId}}' }, scope)).toEqual({ n: 7, first: 'x' });
  });

  it('keeps non-string values exactly (null, numbers, booleans)', () => {
    expect(substitute({ task: { ttl: null }, n: -1, b: false }, scope)).toEqual({ task: { ttl: null }, n: -1, b: false });
  });

  it('fails on an alias without a task id, an unknown step and a missing path', () => {
    expect(() => substitute('{{nope}}', scope)).toThrow(TemplateError);
    expect(() => substitute('{{nope}}', scope)).toThrow(/alias "nope"/);
    expect(() => substitute('{{other.nextCursor}}', scope)).toThrow(/no earlier step named "other"/);
    expect(() => substitute('{{page1.missing}}', scope)).toThrow(/has no missing/);
  });
});
