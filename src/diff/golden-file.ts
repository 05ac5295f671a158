/**
 * The golden file of one cell: `goldens/<scenario>/<slug>.yaml`, the normalised conversation
 * without repeated polls and without trace numbers, so that re-saving an unchanged cell rewrites
 * the same bytes and a PR shows only what changed on the wire. Versioned by `format`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { Conversation, Step } from './conversation.js';
import { renumberIds } from './renumber.js';
import { type CellInfo, DiffInputError } from './run-file.js';
import { withoutRepeatedPolls } from './units.js';

export const GOLDEN_FORMAT = 1;

const GoldenDoc = z.looseObject({
  format: z.literal(GOLDEN_FORMAT),
  cell: z.string(),
  scenario: z.string(),
  client: z.string(),
  server: z.string(),
  transport: z.enum(['stdio', 'http']),
  conversation: z.array(z.looseObject({ from: z.enum(['client', 'server']) })),
});

export interface Golden {
  cell: CellInfo;
  conversation: Conversation;
}

export function goldenPath(goldensDir: string, cell: Pick<CellInfo, 'scenario' | 'slug'>): string {
  return join(goldensDir, cell.scenario, `${cell.slug}.yaml`);
}

/** A racy cell's n-th saved manifestation (the first is its golden). */
export function variantPath(goldensDir: string, cell: Pick<CellInfo, 'scenario' | 'slug'>, n: number): string {
  return n === 1 ? goldenPath(goldensDir, cell) : join(goldensDir, cell.scenario, `${cell.slug}.${n}.yaml`);
}

/** The saved manifestations of a cell, in order: its golden, then `<slug>.2.yaml`… while they exist. */
export function variantsOf(goldensDir: string, cell: Pick<CellInfo, 'scenario' | 'slug'>): string[] {
  const out: string[] = [];
  for (let n = 1; existsSync(variantPath(goldensDir, cell, n)); n++) out.push(variantPath(goldensDir, cell, n));
  return out;
}

const HEADER = [
  'Golden trace of one cell (mcp-interop golden save): its normalised conversation, one entry per',
  'wire message. Ids are renamed by first appearance (c1 client request ids, s1 server request',
  'ids, task1, p1 progress tokens), times masked, repeated identical polls kept once.',
  'Re-save only when the wire change is intended; see src/diff/README.md.',
];

/** Collections this short are written on one line (`via: { stream: request, status: 200 }`). */
const FLOW_WIDTH = 120;

export function goldenText(cell: CellInfo, conversation: Conversation): string {
  // Without the repeated polls and with ids renumbered after them, a re-save of an unchanged
  // cell writes the same bytes whatever the number of polls this time.
  const steps = renumberIds(withoutRepeatedPolls(conversation)).steps.map(({ seq: _seq, ...rest }) => rest);
  const doc = new YAML.Document({
    format: GOLDEN_FORMAT,
    cell: cell.id,
    scenario: cell.scenario,
    client: cell.client,
    server: cell.server,
    transport: conversation.transport,
    conversation: steps,
  });
  doc.commentBefore = HEADER.map((l) => ` ${l}`).join('\n');
  YAML.visit(doc, {
    Map: (_, node) => flowIfShort(node),
    Seq: (_, node) => flowIfShort(node),
  });
  return doc.toString({ lineWidth: 0 });
}

export function writeGolden(file: string, cell: CellInfo, conversation: Conversation): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, goldenText(cell, conversation));
}

export function readGoldenFile(file: string): Golden {
  let data: unknown;
  try {
    data = YAML.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DiffInputError(`${file}: not YAML: ${(err as Error).message}`);
  }
  const parsed = GoldenDoc.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DiffInputError(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const d = parsed.data;
  // A racy cell's manifestation `<slug>.2.yaml` is a golden of the same cell.
  const slug = file
    .replace(/^.*\//, '')
    .replace(/\.ya?ml$/, '')
    .replace(/(--(?:stdio|http))\.\d+$/, '$1');
  return {
    cell: { id: d.cell, slug, scenario: d.scenario, client: d.client, server: d.server, transport: d.transport },
    conversation: { transport: d.transport, steps: d.conversation as Step[] },
  };
}

function flowIfShort(node: YAML.YAMLMap | YAML.YAMLSeq): void {
  // Long ones (the conversation, most steps) stay in block style: one field per line in a PR diff.
  if (node.items.length === 0 || JSON.stringify(node.toJSON()).length <= FLOW_WIDTH) node.flow = true;
}
