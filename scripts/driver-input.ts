/**
 * Prints the driver input JSON (what drivers get as --scenario) for a scenario file:
 *   node dist/scripts/driver-input.js scenarios/ttl-expiry.yaml > /tmp/ttl-expiry.json
 * Handy when working on a driver by hand.
 */
import { loadScenarioFile, ScenarioError } from '../src/scenario/load.js';
import { toDriverInput } from '../src/vocabulary/driver.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: node dist/scripts/driver-input.js <scenario.yaml>');
  process.exit(2);
}
try {
  console.log(JSON.stringify(toDriverInput(loadScenarioFile(file)), null, 2));
} catch (err) {
  console.error(err instanceof ScenarioError ? err.message : err);
  process.exit(2);
}
