// n8n loads nodes and credentials from the paths listed under "n8n" in package.json; this entry only
// lets `require('n8n-nodes-odoo-ops')` reach the library (clients, governance, alerts) from code nodes and scripts.
module.exports = require('./dist/lib');
