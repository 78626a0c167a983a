// The library, as the server consumes it: through its public index only.
export * from '../../../libs/console-users/src';
