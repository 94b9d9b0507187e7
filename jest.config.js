/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Type checking happens once in `tsc -p tsconfig.test.json`; here we only transpile, which keeps jest fast.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 60000,
	// The real-n8n suites start servers; they are in their own project so unit runs stay quick.
	testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
