/**
 * The adapter between n8n and the library: the only module under lib/ that imports n8n-workflow. Nodes use it to
 * turn credentials into clients, parameters into lib values and lib errors into n8n errors.
 */
export * from './binary';
export * from './client';
export * from './config';
export * from './credentialTest';
export * from './errors';
export * from './items';
export * from './params';
export * from './values';
