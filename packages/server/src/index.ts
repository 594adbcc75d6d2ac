export { startServer, migrateOnly, type RunningServer, type ServerOverrides } from './main';
export { loadConfig, type Config } from './config';
export type { MediaEngine, MediaRoom } from './media/engine';
export { createUser, type CreateUserRequest } from './admin';
