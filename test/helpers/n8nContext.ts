/**
 * Small but honest stand-ins for the contexts n8n hands a node. Parameters get their defaults from the node's own
 * description through n8n-workflow's NodeHelpers (what n8n does when it loads a workflow), a missing parameter
 * without fallback throws as in n8n, resource locators honour `extractValue`, and binary data is kept as base64
 * on the items the way n8n's in-memory binary mode does. Expressions are not evaluated: per-item values are given
 * with `perItem`.
 */
import {
	NodeHelpers,
	NodeOperationError,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IPollFunctions,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

export interface FakeContextOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	/** Per-item parameter overrides, standing in for expressions such as {{ $json.name }}. */
	perItem?: (itemIndex: number) => INodeParameters;
	items?: INodeExecutionData[];
	/** null: the node has no credential selected. */
	credentials?: ICredentialDataDecryptedObject | null;
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
	staticData?: IDataObject;
}

export interface FakeLog {
	getCredentialsCalls: number;
}

function getPath(source: unknown, path: string): unknown {
	let current: unknown = source;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

function makeNode(options: FakeContextOptions): INode {
	return {
		id: 'node-under-test',
		name: options.nodeType.description.defaults.name ?? options.nodeType.description.displayName,
		type: `n8n-nodes-odoo-ops.${options.nodeType.description.name}`,
		typeVersion: Array.isArray(options.nodeType.description.version)
			? Math.max(...options.nodeType.description.version)
			: options.nodeType.description.version,
		position: [0, 0],
		parameters: options.parameters,
	};
}

function resolveParameters(options: FakeContextOptions, node: INode, itemIndex: number): INodeParameters {
	const raw = { ...options.parameters, ...(options.perItem ? options.perItem(itemIndex) : {}) };
	const resolved = NodeHelpers.getNodeParameters(
		options.nodeType.description.properties,
		raw,
		true,
		false,
		node,
		options.nodeType.description,
	);
	return resolved ?? raw;
}

function parameterGetter(options: FakeContextOptions, node: INode) {
	return (name: string, itemIndex: number, fallbackValue?: unknown, extra?: { extractValue?: boolean }): unknown => {
		let value = getPath(resolveParameters(options, node, itemIndex), name);
		if (value === undefined) {
			if (fallbackValue !== undefined) return fallbackValue;
			throw new NodeOperationError(node, `Could not get parameter "${name}"`, { itemIndex });
		}
		if (extra?.extractValue && value && typeof value === 'object' && '__rl' in value) {
			value = (value as unknown as { value: unknown }).value;
		}
		return value;
	};
}

function credentialsGetter(options: FakeContextOptions, node: INode, log: FakeLog) {
	return async (type: string) => {
		log.getCredentialsCalls++;
		const declared = options.nodeType.description.credentials?.some((credential) => credential.name === type);
		if (!declared) throw new NodeOperationError(node, `Node does not have any credentials of type "${type}" set`);
		if (!options.credentials) throw new NodeOperationError(node, 'Node does not have any credentials set');
		return { ...options.credentials };
	};
}

function binaryHelpers(node: INode, items: INodeExecutionData[]) {
	const assertBinaryData = (itemIndex: number, propertyName: string | IBinaryData): IBinaryData => {
		if (typeof propertyName !== 'string') return propertyName;
		const binary = items[itemIndex]?.binary?.[propertyName];
		if (!binary) {
			throw new NodeOperationError(
				node,
				`This operation expects the node's input data to contain a binary file '${propertyName}', but none was found [item ${itemIndex}]`,
				{ itemIndex },
			);
		}
		return binary;
	};
	return {
		assertBinaryData,
		async getBinaryDataBuffer(itemIndex: number, propertyName: string | IBinaryData): Promise<Buffer> {
			return Buffer.from(assertBinaryData(itemIndex, propertyName).data, 'base64');
		},
		async prepareBinaryData(buffer: Buffer, filePath?: string, mimeType?: string): Promise<IBinaryData> {
			const fileName = filePath?.split('/').pop();
			const extension = fileName?.includes('.') ? fileName.split('.').pop() : undefined;
			return {
				data: buffer.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileExtension: extension,
				fileSize: `${buffer.length} B`,
			};
		},
		returnJsonArray(data: IDataObject | IDataObject[]): INodeExecutionData[] {
			return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
		},
		constructExecutionMetaData(data: INodeExecutionData[], { itemData }: { itemData: { item: number } }) {
			return data.map((entry) => ({ ...entry, pairedItem: itemData }));
		},
	};
}

const logger = { debug() {}, info() {}, warn() {}, error() {}, verbose() {} };

export function fakeExecuteFunctions(options: FakeContextOptions): { context: IExecuteFunctions; log: FakeLog } {
	const node = makeNode(options);
	const items = options.items ?? [{ json: {} }];
	const log: FakeLog = { getCredentialsCalls: 0 };
	const getParameter = parameterGetter(options, node);
	const staticData = options.staticData ?? {};
	const context = {
		logger,
		getNode: () => node,
		getInputData: () => items,
		getNodeParameter: (name: string, itemIndex: number, fallbackValue?: unknown, extra?: { extractValue?: boolean }) =>
			getParameter(name, itemIndex, fallbackValue, extra),
		getCredentials: credentialsGetter(options, node, log),
		continueOnFail: () => options.continueOnFail === true,
		getMode: () => options.mode ?? 'manual',
		getWorkflowStaticData: () => staticData,
		getExecutionId: () => 'test-execution',
		getTimezone: () => 'UTC',
		helpers: binaryHelpers(node, items),
	};
	return { context: context as unknown as IExecuteFunctions, log };
}

export function fakePollFunctions(options: FakeContextOptions): { context: IPollFunctions; log: FakeLog; staticData: IDataObject } {
	const node = makeNode(options);
	const log: FakeLog = { getCredentialsCalls: 0 };
	const getParameter = parameterGetter(options, node);
	const staticData = options.staticData ?? {};
	const context = {
		logger,
		getNode: () => node,
		getNodeParameter: (name: string, fallbackValue?: unknown, extra?: { extractValue?: boolean }) => getParameter(name, 0, fallbackValue, extra),
		getCredentials: credentialsGetter(options, node, log),
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node' && type !== 'global') throw new Error(`Unknown static data type "${type}"`);
			return staticData;
		},
		getTimezone: () => 'UTC',
		helpers: binaryHelpers(node, []),
	};
	return { context: context as unknown as IPollFunctions, log, staticData };
}

export function fakeLoadOptionsFunctions(options: FakeContextOptions): ILoadOptionsFunctions {
	const node = makeNode(options);
	const getParameter = parameterGetter(options, node);
	const context = {
		logger,
		getNode: () => node,
		getNodeParameter: (name: string, fallbackValue?: unknown, extra?: { extractValue?: boolean }) => getParameter(name, 0, fallbackValue, extra),
		getCurrentNodeParameter: (name: string, extra?: { extractValue?: boolean }) => getParameter(name, 0, undefined, extra),
		getCredentials: credentialsGetter(options, node, { getCredentialsCalls: 0 }),
		helpers: {},
	};
	return context as unknown as ILoadOptionsFunctions;
}

export function fakeCredentialTestFunctions(): ICredentialTestFunctions {
	return {
		logger,
		helpers: {
			request: async () => {
				throw new Error('The Odoo credential test must go through the Odoo client, not helpers.request');
			},
		},
	} as unknown as ICredentialTestFunctions;
}

/** Runs a node's execute() the way n8n does: bound to the context, returning the first output. */
export async function runNode(nodeType: INodeType, context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	if (!nodeType.execute) throw new Error('node has no execute()');
	const output = (await nodeType.execute.call(context)) as INodeExecutionData[][];
	return output[0];
}

export function rl(value: string | number, mode = 'list'): INodeParameters[string] {
	return { __rl: true, mode, value } as INodeParameters[string];
}
