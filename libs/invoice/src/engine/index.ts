/** The pure invoicing engines: what other engines and the services import. */
export * from './model';
export * from './balances';
export * from './credit';
