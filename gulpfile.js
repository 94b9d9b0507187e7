// Copies what tsc does not: node icons, codex files and the shipped workflows, next to the compiled nodes in dist/.
const { src, dest, parallel } = require('gulp');

function nodeAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function workflows() {
	return src(['workflows/**/*.json'], { base: '.', allowEmpty: true }).pipe(dest('dist'));
}

exports.build = parallel(nodeAssets, workflows);
exports.default = exports.build;
