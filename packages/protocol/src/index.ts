export * from './errors';
export * from './model';
export * from './events';
export * from './ws';
export * from './http';
export * from './state';
export * from './accounts';
export * from './stage';
