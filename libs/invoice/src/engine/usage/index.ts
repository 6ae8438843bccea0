export * from './usage-in-arrear';
