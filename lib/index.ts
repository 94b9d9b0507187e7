export * as odoo from './odoo';
export * as governance from './governance';
export * as installer from './installer';
