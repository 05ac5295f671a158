export * from './scenario.js';
export * from './observation.js';
export * from './trace.js';
export * from './driver.js';
export * from './spec-sections.js';
