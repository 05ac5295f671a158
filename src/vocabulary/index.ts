export * from './contract.js';
export * from './driver.js';
export * from './observation.js';
export * from './scenario.js';
export * from './spec-sections.js';
export * from './trace.js';
