/** Injection token of the host's DataSource the library uses (the library never creates one). */
export const CONSOLE_USERS_DATA_SOURCE = Symbol('console-users:data-source');
