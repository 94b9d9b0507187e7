export { startOdooSandbox, pyJson } from './server';
export type { OdooSandbox, OdooSandboxOptions, SandboxFault, SandboxStats } from './server';
export { OdooError } from './errors';
export { parseMethodCall, parseMethodResponse, serializeMethodCall, serializeFault, serializeResponse } from './xmlrpc-codec';
export { GOVERNANCE_WORLD, RECORDED_DB, buildGovernanceRegistry, seedGovernance } from './governance';
export type { GovernanceWorldIds } from './governance';
