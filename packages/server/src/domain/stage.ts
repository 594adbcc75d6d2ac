/**
 * The stage rules live in @parley/protocol (shared with the clients, which show each person only the
 * controls they may use); the server enforces them through these exports.
 */
export {
  authorize,
  isModerator,
  mayBeHeard,
  memberOnlyActions,
  memberOnlyTargets,
  refusal,
  renderStageRulesTable,
  roles,
  stageRules,
  type StageAction,
  type StageRule,
} from '@parley/protocol';
