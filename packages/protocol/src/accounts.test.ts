import { describe, expect, it } from 'vitest';
import { Email, InviteCode, SignUpBody, Username } from './accounts';

describe('account field rules', () => {
  it('Username: 3–24 letters, digits and _, starting with a letter; reserved names refused in any case', () => {
    for (const good of ['ada', 'Ada_Lovelace', 'b0b', 'x'.repeat(24)]) expect(Username.safeParse(good).success, good).toBe(true);
    for (const bad of ['ab', '9lives', '_ada', 'ada lovelace', 'ädä', 'x'.repeat(25), 'Admin', 'ROOT']) expect(Username.safeParse(bad).success, bad).toBe(false);
  });

  it('Email: trimmed and lower-cased before the format check', () => {
    expect(Email.parse('  Ada@Example.ORG ')).toBe('ada@example.org');
    expect(Email.safeParse('ada@').success).toBe(false);
  });

  it('InviteCode: any case, dashes optional, no look-alike characters; normalised to ABCD-EFGH-JKMN', () => {
    expect(InviteCode.parse('abcdefghjkmn')).toBe('ABCD-EFGH-JKMN');
    expect(InviteCode.parse(' abcd-efgh-jkmn ')).toBe('ABCD-EFGH-JKMN');
    for (const bad of ['ABCD-EFGH-JKM', 'ABCD-EFGH-JKM0', 'OBCD-EFGH-JKMN', 'ABCD-EFGH-JKMI']) expect(InviteCode.safeParse(bad).success, bad).toBe(false);
  });

  it('SignUpBody lists every field problem at once', () => {
    const result = SignUpBody.safeParse({ email: 'x', password: 'short', username: 'a', displayName: '' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual(['displayName', 'email', 'password', 'username']);
  });
});
