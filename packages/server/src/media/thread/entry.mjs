// The media thread's entry point. Parley runs its TypeScript sources directly, and a worker does not
// inherit the main thread's loader, so the worker registers tsx itself before loading the host.
import { register } from 'tsx/esm/api';

register();
await import('./host.ts');
