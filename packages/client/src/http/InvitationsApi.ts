import {
  ActivityReply,
  CreatedSpeakerLinkReply,
  DelegationListReply,
  DelegationReply,
  InvitationListReply,
  InvitationReply,
  RedeemSpeakerLinkReply,
  SpeakerLinkListReply,
  SpeakerLinkPreviewReply,
  type Act,
  type CreateInvitationBody,
  type CreateSpeakerLinkBody,
  type Delegation,
  type DelegationScope,
  type GrantDelegationBody,
  type Invitation,
  type InvitationDetail,
  type InvitationListQuery,
  type SpeakerLink,
} from '@parley/protocol';
import type { HttpClient } from './HttpClient';

const path = (value: string) => encodeURIComponent(value);

/**
 * Invitations to speak (`client.invitations`): to an event or on stage now, with a thread of questions
 * and answers, accepted, declined or withdrawn. Delegates use the same calls for their principals: the
 * server works out whose side they are on (`invitation.viewer`).
 */
export class InvitationsApi {
  constructor(private readonly http: HttpClient) {}

  /** Invitations to or from me and the people I am a delegate for, newest first. */
  list = async (query: InvitationListQuery = {}): Promise<Invitation[]> => {
    const params = new URLSearchParams();
    if (query.box) params.set('box', query.box);
    if (query.status) params.set('status', query.status);
    const suffix = params.size > 0 ? `?${params}` : '';
    return (await this.http.send('GET', `/api/invitations${suffix}`, InvitationListReply)).invitations;
  };

  /** Invite a member (`username`) or anyone (`email`) to speak at `eventId`, or on stage in `roomId` now. */
  create = async (body: CreateInvitationBody): Promise<InvitationDetail> => (await this.http.send('POST', '/api/invitations', InvitationReply, body)).invitation;

  /** One invitation with its thread and history. */
  get = async (id: string): Promise<InvitationDetail> => (await this.http.send('GET', `/api/invitations/${path(id)}`, InvitationReply)).invitation;

  /** Ask (the invitee's side) or answer (the inviter's side). */
  reply = async (id: string, body: string): Promise<InvitationDetail> => (await this.http.send('POST', `/api/invitations/${path(id)}/messages`, InvitationReply, { body })).invitation;

  /** Accept (the invitee or their delegate); rejects with `conflict` when someone decided first or it expired. */
  accept = (id: string, note?: string): Promise<InvitationDetail> => this.decide(id, 'accept', note);

  decline = (id: string, note?: string): Promise<InvitationDetail> => this.decide(id, 'decline', note);

  /** Withdraw (the inviter or their delegate). */
  withdraw = (id: string, note?: string): Promise<InvitationDetail> => this.decide(id, 'withdraw', note);

  private async decide(id: string, decision: 'accept' | 'decline' | 'withdraw', note: string | undefined): Promise<InvitationDetail> {
    return (await this.http.send('POST', `/api/invitations/${path(id)}/${decision}`, InvitationReply, note === undefined ? {} : { note })).invitation;
  }
}

/** Delegation (`client.delegations`): let someone act for me on invitations and events, and see what they did. */
export class DelegationsApi {
  constructor(private readonly http: HttpClient) {}

  /** Grants I gave (`granted`) and hold (`received`). */
  list = (): Promise<DelegationListReply> => this.http.send('GET', '/api/delegations', DelegationListReply);

  /** Let `username` act for me within `scopes`; granting again replaces the scopes. */
  grant = async (username: string, scopes: DelegationScope[]): Promise<Delegation> => {
    const body: GrantDelegationBody = { username, scopes };
    return (await this.http.send('POST', '/api/delegations', DelegationReply, body)).delegation;
  };

  /** Revoke a grant I gave, or give up one I hold. */
  revoke = (id: string): Promise<void> => this.http.sendEmpty('DELETE', `/api/delegations/${path(id)}`);

  /** What was done in my name (by me or my delegates) and by me for others, newest first. */
  activity = async (): Promise<Act[]> => (await this.http.send('GET', '/api/delegations/activity', ActivityReply)).acts;
}

/** One-time guest speaker links (`client.speakerLinks`). */
export class SpeakerLinksApi {
  constructor(private readonly http: HttpClient) {}

  /** Make a link for a named guest; `url` (with the secret) is shown only in this reply. */
  create = (body: CreateSpeakerLinkBody): Promise<CreatedSpeakerLinkReply> => this.http.send('POST', '/api/speaker-links', CreatedSpeakerLinkReply, body);

  /** The links of an event or a room. */
  list = async (target: { eventId: string } | { roomId: string }): Promise<SpeakerLink[]> => {
    const query = 'eventId' in target ? `eventId=${path(target.eventId)}` : `roomId=${path(target.roomId)}`;
    return (await this.http.send('GET', `/api/speaker-links?${query}`, SpeakerLinkListReply)).links;
  };

  revoke = (id: string): Promise<void> => this.http.sendEmpty('DELETE', `/api/speaker-links/${path(id)}`);

  /** What a link (the token: last part of `/speak/<token>`) opens; rejects with `conflict` when it is used, expired or revoked. */
  preview = (token: string): Promise<SpeakerLinkPreviewReply> => this.http.send('GET', `/api/speaker-links/token/${path(token)}`, SpeakerLinkPreviewReply);

  /** Use a link (once): the server starts a guest session for its name; then join `roomId` on stage. */
  redeem = (token: string): Promise<RedeemSpeakerLinkReply> => this.http.send('POST', `/api/speaker-links/token/${path(token)}/redeem`, RedeemSpeakerLinkReply);
}
