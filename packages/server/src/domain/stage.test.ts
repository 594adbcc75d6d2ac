import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStageRulesTable, stageRules } from './stage';

describe('stage rules', () => {
  it('docs/roles.md carries exactly the table generated from the code (run `npm run docs:roles`)', () => {
    const doc = readFileSync(new URL('../../../../docs/roles.md', import.meta.url), 'utf8');
    expect(doc).toContain(`<!-- stage-rules:begin -->\n${renderStageRulesTable()}\n<!-- stage-rules:end -->`);
  });

  it('nobody may act on the host, and listeners run nothing', () => {
    for (const rule of Object.values(stageRules)) {
      for (const targets of Object.values(rule.targets ?? {})) expect(targets).not.toContain('host');
      if (rule.targets) expect(rule.actors).not.toContain('listener');
    }
  });
});
