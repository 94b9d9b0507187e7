import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended,
	// Self-hosted pack: n8n Cloud only accepts packages without runtime dependencies.
	n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
	{
		rules: {
			// The pack deliberately depends on xmlrpc, zod and the official Slack/Keycloak/Supabase SDKs
			// (DESIGN §7); that makes it a self-hosted, unverified community package, which the README says.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
];
