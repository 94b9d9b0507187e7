export * as odoo from './odoo';
