/** Injection token: the name of this server process, recorded as creating/processing owner. */
export const NODE_NAME = Symbol('NodeName');
