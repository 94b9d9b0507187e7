import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
	// n8n's community-node rules apply where n8n is met: nodes, credentials, the adapter and package.json.
	// The rest of lib/ is plain TypeScript with no n8n in it (errors there are OdooError, mapped by the adapter).
	{ ...community, files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'lib/n8n/**/*.ts', 'package.json'] },
	// typescript-estree reads a .json file as one object expression, which the package.json rules walk.
	{ files: ['package.json'], languageOptions: { parser: tseslint.parser } },
	{
		rules: {
			// The pack deliberately depends on xmlrpc, zod and the official Slack/Keycloak/Supabase SDKs
			// (DESIGN §7); that makes it a self-hosted, unverified community package, which the README says.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
];
