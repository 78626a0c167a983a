import { describeHost } from './support/host-scenarios';

// An ES-module host on @nestjs/platform-fastify, with its own catch-all exception filter.
describeHost('fastify-esm', { formLogin: true, hostErrorFilter: true, servesConsoleUi: false });
