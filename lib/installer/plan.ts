/**
 * Deciding what installing the shipped workflows into an n8n changes. Pure: the existing workflows and credentials
 * come in as data, a list of actions comes out, so a dry run and a real run agree by construction.
 */

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<WorkflowNode>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

export interface WorkflowNode {
	name: string;
	type: string;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name: string }>;
	[key: string]: unknown;
}

export interface ExistingWorkflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
}

export interface ExistingCredential {
	id: string;
	name: string;
	type: string;
}

export type InstallAction =
	| { action: 'create'; name: string; shippedId?: string; body: WorkflowJson }
	| { action: 'update'; name: string; id: string; shippedId?: string; body: WorkflowJson; changes: string[] }
	| { action: 'unchanged'; name: string; id: string; shippedId?: string };

export class MissingCredentialsError extends Error {
	constructor(readonly missing: Array<{ workflow: string; node: string; type: string; name: string }>) {
		super(
			'These credentials must exist in n8n before the workflows can be installed (create them with exactly this name and type):\n' +
				[...new Set(missing.map((item) => `- "${item.name}" (type ${item.type}), used by ${item.workflow} → ${item.node}`))].join('\n'),
		);
		this.name = 'MissingCredentialsError';
	}
}

/** The settings keys n8n's public API accepts on create/update. */
const SETTINGS_KEYS = ['executionOrder', 'errorWorkflow', 'saveManualExecutions', 'saveDataErrorExecution', 'saveDataSuccessExecution', 'saveExecutionProgress', 'callerPolicy', 'callerIds', 'timezone', 'executionTimeout'];

/**
 * @param idsByShippedId  ids the shipped workflows already have in this n8n (by their shipped id), including those
 *                        about to be created when known; references to other shipped workflows are rewritten to them.
 */
export function planInstall(
	shipped: WorkflowJson[],
	existing: ExistingWorkflow[],
	credentials: ExistingCredential[],
	idsByShippedId: Record<string, string> = {},
): InstallAction[] {
	const missing: MissingCredentialsError['missing'] = [];
	const byName = new Map(existing.map((workflow) => [workflow.name, workflow]));
	const ids = { ...idsByShippedId };
	for (const workflow of shipped) {
		const found = byName.get(workflow.name);
		if (found && workflow.id) ids[workflow.id] ??= found.id;
	}

	const actions = shipped.map((workflow): InstallAction => {
		const body = rewrite(workflow, credentials, ids, missing);
		const found = byName.get(workflow.name);
		if (!found) return { action: 'create', name: workflow.name, shippedId: workflow.id, body };
		const changes = differences(body, found);
		return changes.length ? { action: 'update', name: workflow.name, id: found.id, shippedId: workflow.id, body, changes } : { action: 'unchanged', name: workflow.name, id: found.id, shippedId: workflow.id };
	});
	if (missing.length) throw new MissingCredentialsError(missing);
	return actions;
}

function rewrite(workflow: WorkflowJson, credentials: ExistingCredential[], ids: Record<string, string>, missing: MissingCredentialsError['missing']): WorkflowJson {
	const nodes = workflow.nodes.map((node) => {
		const copy: WorkflowNode = JSON.parse(JSON.stringify(node));
		for (const [type, reference] of Object.entries(copy.credentials ?? {})) {
			const match = credentials.find((credential) => credential.type === type && credential.name === reference.name);
			if (match) copy.credentials![type] = { id: match.id, name: match.name };
			else missing.push({ workflow: workflow.name, node: node.name, type, name: reference.name });
		}
		if (copy.type === 'n8n-nodes-base.executeWorkflow' && copy.parameters) copy.parameters = rewriteWorkflowReference(copy.parameters, ids);
		return copy;
	});
	const settings = Object.fromEntries(Object.entries(workflow.settings ?? {}).filter(([key]) => SETTINGS_KEYS.includes(key)));
	if (typeof settings.errorWorkflow === 'string' && ids[settings.errorWorkflow]) settings.errorWorkflow = ids[settings.errorWorkflow];
	return { name: workflow.name, nodes, connections: workflow.connections, settings };
}

function rewriteWorkflowReference(parameters: Record<string, unknown>, ids: Record<string, string>): Record<string, unknown> {
	const reference = parameters.workflowId;
	if (typeof reference === 'string' && ids[reference]) return { ...parameters, workflowId: ids[reference] };
	if (reference && typeof reference === 'object' && 'value' in reference) {
		const value = (reference as { value: unknown }).value;
		if (typeof value === 'string' && ids[value]) return { ...parameters, workflowId: { ...(reference as object), value: ids[value], mode: 'id' } };
	}
	return parameters;
}

/** What differs in the parts we own; n8n adds ids, positions we keep, and defaults we do not compare. */
function differences(wanted: WorkflowJson, current: ExistingWorkflow): string[] {
	const changes: string[] = [];
	const comparable = (node: WorkflowNode) => JSON.stringify({ name: node.name, type: node.type, typeVersion: node.typeVersion, parameters: node.parameters ?? {}, credentials: node.credentials ?? {}, position: node.position, disabled: node.disabled ?? false });
	const currentNodes = new Map(current.nodes.map((node) => [node.name, comparable(node)]));
	for (const node of wanted.nodes) {
		const before = currentNodes.get(node.name);
		if (before === undefined) changes.push(`node added: ${node.name}`);
		else if (before !== comparable(node)) changes.push(`node changed: ${node.name}`);
		currentNodes.delete(node.name);
	}
	for (const name of currentNodes.keys()) changes.push(`node removed: ${name}`);
	if (stable(wanted.connections) !== stable(current.connections)) changes.push('connections changed');
	const settingsNow = Object.fromEntries(Object.entries(current.settings ?? {}).filter(([key]) => SETTINGS_KEYS.includes(key)));
	if (stable(wanted.settings ?? {}) !== stable(settingsNow)) changes.push('settings changed');
	return changes;
}

function stable(value: unknown): string {
	return JSON.stringify(value, (_key, inner) => (inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner));
}
