import { describeHost } from './support/host-scenarios';

// A CommonJS host on @nestjs/platform-express, with no exception filter of its own, serving the admin UI.
describeHost('express-cjs', { formLogin: true, hostErrorFilter: false, servesConsoleUi: true });
