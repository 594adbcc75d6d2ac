// Regenerates the rules table in docs/roles.md from the stage policy (packages/server/src/domain/stage.ts).
// Run with `npm run docs:roles`; a unit test fails when the document and the code disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderStageRulesTable } from '../packages/server/src/domain/stage';

const path = new URL('../docs/roles.md', import.meta.url);
const begin = '<!-- stage-rules:begin -->';
const end = '<!-- stage-rules:end -->';
const text = readFileSync(path, 'utf8');
const start = text.indexOf(begin);
const stop = text.indexOf(end);
if (start < 0 || stop < 0) throw new Error('docs/roles.md lacks the stage-rules markers');
writeFileSync(path, `${text.slice(0, start + begin.length)}\n${renderStageRulesTable()}\n${text.slice(stop)}`);
