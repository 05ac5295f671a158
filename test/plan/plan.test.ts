import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../src/paths.js';
import { loadDrivers } from '../../src/plan/drivers.js';
import { requiredFeatures } from '../../src/plan/features.js';
import { PlanError, planCells, rerunCommand } from '../../src/plan/plan.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { fakeImpl } from '../helpers.js';

const driver = (id: string, cannot: { server?: Record<string, string>; client?: Record<string, string> } = {}) =>
  fakeImpl(id, { server: { cannot: cannot.server ?? {} }, client: { cannot: cannot.client ?? {} } });

describe('planning the matrix', () => {
  // Scenarios that restrict their implementations (raw-only ones) name implementations these fakes are not.
  const scenarios = loadScenarios(SCENARIOS_DIR).filter((s) => !s.clients && !s.servers);

  it('crosses scenarios, clients, servers and transports, with readable ids', () => {
    const cells = planCells(scenarios, [driver('a'), driver('b')], { scenarios: ['ttl-expiry'] });
    expect(cells.map((c) => c.id)).toEqual([
      'ttl-expiry · a→a · stdio',
      'ttl-expiry · a→a · http',
      'ttl-expiry · a→b · stdio',
      'ttl-expiry · a→b · http',
      'ttl-expiry · b→a · stdio',
      'ttl-expiry · b→a · http',
      'ttl-expiry · b→b · stdio',
      'ttl-expiry · b→b · http',
    ]);
    expect(cells[2]!.slug).toBe('ttl-expiry--a-b--stdio');
    expect(rerunCommand(cells[2]!)).toBe('npm start -- --scenario ttl-expiry --client a --server b --transport stdio');
  });

  it('filters by client, server and transport, and rejects unknown names', () => {
    const cells = planCells(scenarios, [driver('a'), driver('b')], {
      clients: [{ name: 'a' }, { name: 'b' }],
      servers: [{ name: 'b' }],
      transports: ['http'],
    });
    expect(new Set(cells.map((c) => `${c.client.label}→${c.server.label} ${c.transport}`))).toEqual(new Set(['a→b http', 'b→b http']));
    expect(() => planCells(scenarios, [driver('a')], { clients: [{ name: 'zz' }] })).toThrow(PlanError);
    expect(() => planCells(scenarios, [driver('a')], { scenarios: ['zz'] })).toThrow(/unknown scenario "zz"/);
  });

  it('marks a cell unsupported when a side declared it cannot express a needed feature, naming the side', () => {
    const cells = planCells(scenarios, [driver('a'), driver('b', { server: { 'action:elicit': 'no elicitation API' } })], {
      scenarios: ['input-required-elicitation', 'ttl-expiry'],
      transports: ['stdio'],
    });
    const unsupported = cells.filter((c) => c.unsupported).map((c) => [c.id, c.unsupported]);
    expect(unsupported).toEqual([
      ['input-required-elicitation · a→b · stdio', [{ side: 'server', impl: 'b', feature: 'action:elicit', reason: 'no elicitation API' }]],
      ['input-required-elicitation · b→b · stdio', [{ side: 'server', impl: 'b', feature: 'action:elicit', reason: 'no elicitation API' }]],
    ]);
  });

  it('derives the features a scenario needs from each side', () => {
    const s = scenarios.find((x) => x.id === 'input-required-elicitation')!;
    expect(requiredFeatures(s, 'server', 'http').sort()).toEqual(['action:complete', 'action:elicit', 'action:sleep', 'transport:http']);
    expect(requiredFeatures(s, 'client', 'stdio').sort()).toEqual([
      'step:callTask',
      'step:getTask',
      'step:poll',
      'step:result',
      'transport:stdio',
    ]);
  });

  it('every registered driver.json validates and only declares features of the vocabulary', () => {
    for (const d of loadDrivers()) {
      for (const impl of d.manifest.implementations) {
        for (const side of ['server', 'client'] as const) {
          for (const feature of Object.keys(impl[side]?.cannot ?? {})) {
            expect(feature).toMatch(
              side === 'server' ? /^(action|capability|ttl|transport|option):/ : /^(step|answer|transport|receiver|option):/,
            );
          }
        }
      }
    }
  });
});
