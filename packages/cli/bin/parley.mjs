#!/usr/bin/env node
// The `parley` command. Parley runs its TypeScript sources directly (no build step), so the entry
// registers tsx's loader and then imports the real entry point.
import { register } from 'tsx/esm/api';

register();
const { run } = await import(new URL('../src/main.ts', import.meta.url).href);
await run();
