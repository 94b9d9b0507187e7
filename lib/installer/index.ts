import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { N8nPublicApi } from './n8n-api';
import { planInstall, type InstallAction, type WorkflowJson } from './plan';

export { planInstall, MissingCredentialsError, type InstallAction, type WorkflowJson, type ExistingWorkflow, type ExistingCredential } from './plan';
export { N8nPublicApi } from './n8n-api';

export interface InstallOptions {
	url: string;
	apiKey: string;
	/** Folder of workflow JSON files; default: the pack's own dist/workflows. */
	directory?: string;
	publish?: boolean;
	dryRun?: boolean;
	log?: (line: string) => void;
}

export function readShippedWorkflows(directory: string): WorkflowJson[] {
	return readdirSync(directory)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(readFileSync(join(directory, file), 'utf8')) as WorkflowJson);
}

/**
 * Imports or updates the shipped workflows. Two passes: the first creates what is missing so every shipped workflow
 * has an id here; the second rewrites sub-workflow and error-workflow references to those ids. Running it again
 * finds nothing to change.
 */
export async function installWorkflows(options: InstallOptions): Promise<InstallAction[]> {
	const log = options.log ?? (() => undefined);
	const api = new N8nPublicApi(options.url, options.apiKey);
	const shipped = readShippedWorkflows(options.directory ?? join(__dirname, '..', '..', 'workflows'));
	const [existing, credentials] = await Promise.all([api.workflows(), api.credentials()]);
	let actions = planInstall(shipped, existing, credentials);
	if (options.dryRun) {
		actions.forEach((action) => log(describe(action)));
		return actions;
	}
	const ids: Record<string, string> = {};
	for (const action of actions) {
		if (action.action !== 'create') continue;
		const created = await api.createWorkflow(action.body);
		if (action.shippedId) ids[action.shippedId] = created.id;
	}
	actions = planInstall(shipped, await api.workflows(), credentials, ids);
	const created = new Set(Object.keys(ids));
	for (const action of actions) {
		if (action.action === 'update') await api.updateWorkflow(action.id, action.body);
		if (options.publish && action.action !== 'create') {
			const failure = await api.publish(action.id).then(() => undefined, (error: Error) => error.message);
			log(failure ? `not published: ${action.name}: ${failure}` : `published ${action.name}`);
		}
	}
	// What the user asked about is the net effect: a workflow created then wired up in the second pass was created.
	const result = actions.map((action): InstallAction => (action.shippedId && created.has(action.shippedId) && action.action !== 'create' ? { action: 'create', name: action.name, shippedId: action.shippedId, body: action.action === 'update' ? action.body : ({} as WorkflowJson) } : action));
	result.forEach((action) => log(describe(action)));
	return result;
}

function describe(action: InstallAction): string {
	if (action.action === 'update') return `update    ${action.name} (${action.changes.join('; ')})`;
	return `${action.action.padEnd(10)}${action.name}`;
}
