export * from './limits.js';
export * from './ids.js';
export * from './errors.js';
export * from './models.js';
export * from './frames.js';
export * from './http.js';
export * from './service.js';
export * from './visitor.js';
