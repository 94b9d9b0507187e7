export * as odoo from './odoo';
export * as governance from './governance';
export * as approvals from './approvals';
export * as slack from './slack';
export * as alerts from './alerts';
export * as installer from './installer';
