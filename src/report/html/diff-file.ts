/**
 * The hook for the semantic trace diff (src/diff/): a cell folder may hold `diff.json`, the
 * output of `mcp-interop diff A B --json` (one block) or `diff --across … --json` (an array of
 * blocks), and the cell page then shows it side by side. Only the fields in DiffBlock are read, so
 * the diff may add fields freely; a file that does not have them is reported on the page, not fatal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DiffBlock } from './types.js';

const Side = z.looseObject({ label: z.string(), cell: z.string().optional() });
const Seq = z.looseObject({ a: z.number().optional(), b: z.number().optional() });
const Entry = z.looseObject({
  kind: z.string(),
  where: z.string(),
  path: z.string().optional(),
  a: z.unknown().optional(),
  b: z.unknown().optional(),
  seq: Seq.default({}),
  phase: z.string().optional(),
  first: z.boolean().optional(),
  note: z.string().optional(),
});
const Block = z.looseObject({
  a: Side,
  b: Side,
  equivalent: z.boolean(),
  differences: z.array(Entry),
  counts: z.record(z.string(), z.number()).optional(),
});

export const DIFF_FILE = 'diff.json';

/** The diff's blocks, or the problems that kept them from being read; undefined when there is no file. */
export function readDiffFile(file: string): { blocks: DiffBlock[]; problems: string[] } | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { blocks: [], problems: [`${file}: not JSON: ${(err as Error).message}`] };
  }
  // One block or a list of them; parsed apart so an error names the field, not "no union member".
  const parsed = Array.isArray(data) ? z.array(Block).safeParse(data) : Block.transform((b) => [b]).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { blocks: [], problems: [`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`] };
  }
  return { blocks: parsed.data as DiffBlock[], problems: [] };
}
