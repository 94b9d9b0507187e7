export { startOdooSandbox, pyJson } from './server';
export type { OdooSandbox, OdooSandboxOptions, SandboxFault, SandboxStats } from './server';
export { OdooError } from './errors';
export { parseMethodCall, parseMethodResponse, serializeMethodCall, serializeFault, serializeResponse } from './xmlrpc-codec';
