import { Inject, Logger, type OnModuleDestroy, type OnModuleInit, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  ClientToServer,
  REALTIME_NAMESPACE,
  renewSessionSchema,
  ServerToClient,
  watchStationSchema,
} from '@wms/contracts';
import type { Namespace, Socket } from 'socket.io';
import { type AuthenticatedUser, CENTRE_ROLES } from '../../platform/auth/roles.js';
import { TokenService, type VerifiedToken } from '../../platform/auth/token.service.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { LiveErrorFilter } from './live-error.filter.js';

const stationRoom = (stationId: string) => `station:${stationId}`;
const ALL_STATIONS = stationRoom('*');
/** Every socket of the centre's own people (staff, supervisors, customs, admins): parcel and import news. */
const CENTRE_ROOM = 'centre';
/** A seller's room: its own events (the seller portal's live updates, later sessions of issue 12). */
const sellerRoom = (sellerCode: string) => `seller:${sellerCode}`;
/** The customs console's room (issue 13): customs officers' and supervisors' sockets only. */
const CUSTOMS_ROOM = 'customs';
const CUSTOMS_WATCHERS = new Set(['customs', 'supervisor']);
const CENTRE = new Set<string>(CENTRE_ROLES);
/**
 * A screen watches one station, a supervisor's board a handful or all (`*`): more rooms than this
 * per socket is not a screen but a client fanning the server out.
 */
export const MAX_WATCHED_STATIONS = 32;
/** Clients send only small control messages (watch, renew); a bigger frame closes the socket. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
/** setTimeout's ceiling (about 24.8 days); tokens are far shorter. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface SocketSession {
  user: AuthenticatedUser;
  sessionId: string;
  expiresAt: number;
  expiryTimer?: ReturnType<typeof setTimeout>;
}

/** Live screens: domain events after commit, fanned out by station room. */
@WebSocketGateway({ namespace: REALTIME_NAMESPACE, maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES })
@UseFilters(LiveErrorFilter)
export class RealtimeGateway implements OnGatewayInit, OnModuleInit, OnModuleDestroy {
  @WebSocketServer() private readonly namespace!: Namespace;
  private readonly logger = new Logger('realtime');
  private readonly unsubscribe: Array<() => void> = [];
  private sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly tokens: TokenService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Sessions ended on another server instance (or a user deleted in the database) send no event
    // here: the open sockets' sessions are checked again now and then.
    this.sweepTimer = setInterval(
      () => void this.closeEndedSessions(),
      Math.max(1000, this.config.AUTH_SESSION_CHECK_MS * 3),
    );
    this.sweepTimer.unref();
    this.unsubscribe.push(
      this.events.on('scan.recorded', (scan) => {
        this.listening([stationRoom(scan.stationId), ALL_STATIONS])?.emit(ServerToClient.scanRecorded, scan);
      }),
      this.events.on('weight.recorded', (weight) => {
        this.listening([stationRoom(weight.stationId), ALL_STATIONS])?.emit(ServerToClient.weightRecorded, weight);
      }),
      this.events.on('device.statusChanged', (status) => {
        this.listening([stationRoom(status.stationId), ALL_STATIONS])?.emit(ServerToClient.deviceStatus, status);
      }),
      this.events.on('station.answered', (answer) => {
        this.listening([stationRoom(answer.stationId), ALL_STATIONS])?.emit(ServerToClient.stationAnswered, answer);
      }),
      this.events.on('station.jobChanged', (job) => {
        this.listening([stationRoom(job.stationId), ALL_STATIONS])?.emit(ServerToClient.stationJobChanged, job);
      }),
      // devices are the centre's: a seller's socket hears nothing of them (issue 12)
      this.events.on('agent.presenceChanged', (presence) => {
        this.listening([CENTRE_ROOM])?.emit(ServerToClient.agentPresence, presence);
      }),
      // A parcel's news is the centre's, not a seller's: only sockets of the centre's roles get it.
      this.events.on('parcel.customsStatusChanged', (change) => {
        this.listening([CENTRE_ROOM])?.emit(ServerToClient.parcelCustomsStatus, change);
      }),
      this.events.on('parcel.holdChanged', (hold) => {
        this.listening([CENTRE_ROOM])?.emit(ServerToClient.parcelHold, hold);
      }),
      this.events.on('parcel.gatePassed', (passed) => {
        this.listening([CENTRE_ROOM])?.emit(ServerToClient.parcelGatePassed, passed);
      }),
      this.events.on('import.progressed', (progress) => {
        this.listening([CENTRE_ROOM])?.emit(ServerToClient.importProgress, progress);
      }),
      // A seller's news goes to that seller's room only: no other tenant's socket is in it.
      this.events.on('seller.changed', (change) => {
        this.namespace?.to(sellerRoom(change.sellerCode)).emit(ServerToClient.sellerChanged, change);
      }),
      // The customs console's news: only customs and supervisor sockets are in that room.
      this.events.on('customs.changed', (change) => {
        this.listening([CUSTOMS_ROOM])?.emit(ServerToClient.customsChanged, change);
      }),
      // A signed-out session or a disabled user: its sockets stop receiving at once.
      this.events.on('session.revoked', ({ sessionIds }) => {
        const ended = new Set(sessionIds);
        for (const socket of this.namespace?.sockets.values() ?? []) {
          const session = socket.data.session as SocketSession | undefined;
          if (session && ended.has(session.sessionId))
            this.endSocket(socket, 'AUTH_SESSION_ENDED', 'Your session has ended: sign in again.');
        }
      }),
    );
  }

  /**
   * The rooms, when a socket of this server is in one of them; else null, and nothing is sent:
   * socket.io encodes a message before it looks for sockets, and a floor without screens open
   * would pay that for every scan and answer (ingestion at thousands of events a second). Right
   * for the in-memory adapter this server runs (a cluster adapter would need every node asked).
   */
  private listening(rooms: string[]): ReturnType<Namespace['to']> | null {
    const namespace = this.namespace;
    if (!namespace) return null;
    const present = namespace.adapter.rooms;
    return rooms.some((room) => (present.get(room)?.size ?? 0) > 0) ? namespace.to(rooms) : null;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
    for (const off of this.unsubscribe) off();
  }

  private async closeEndedSessions(): Promise<void> {
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const session = socket.data.session as SocketSession | undefined;
      if (!session) continue;
      const open = await this.tokens.sessionIsOpen(session.sessionId, session.user.id).catch(() => true);
      if (!open) this.endSocket(socket, 'AUTH_SESSION_ENDED', 'Your session has ended: sign in again.');
    }
  }

  /**
   * Authentication runs as socket.io middleware, before the connection exists: no message can
   * arrive from a socket whose token has not been checked.
   */
  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : '';
      this.tokens
        .verifySession(token)
        .then((verified) => {
          this.adopt(socket, verified);
          socket.once('disconnect', () =>
            clearTimeout((socket.data.session as SocketSession | undefined)?.expiryTimer),
          );
          next();
        })
        .catch(() => {
          const error = new Error('Your session has expired or is not valid: sign in again.') as Error & {
            data: unknown;
          };
          error.data = { code: 'AUTH_TOKEN_INVALID' };
          next(error);
        });
    });
  }

  /** The renewed token of the same user replaces the socket's one and moves its expiry. */
  @SubscribeMessage(ClientToServer.renewSession)
  async renew(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    const parsed = renewSessionSchema.safeParse(body);
    if (!parsed.success) return { ok: false, code: 'VALIDATION_FAILED', message: 'send { "token": "<access token>" }' };
    const current = socket.data.session as SocketSession | undefined;
    let verified: VerifiedToken;
    try {
      verified = await this.tokens.verifySession(parsed.data.token);
    } catch {
      return { ok: false, code: 'AUTH_TOKEN_INVALID', message: 'That token is not valid: sign in again.' };
    }
    if (!current || verified.user.id !== current.user.id)
      return { ok: false, code: 'VALIDATION_FAILED', message: 'The token belongs to another user: connect anew.' };
    this.adopt(socket, verified);
    return { ok: true, expiresAt: new Date(verified.expiresAt).toISOString() };
  }

  /** Takes a verified token for this socket and closes the socket when that token expires. */
  private adopt(socket: Socket, verified: VerifiedToken): void {
    const previous = socket.data.session as SocketSession | undefined;
    clearTimeout(previous?.expiryTimer);
    const session: SocketSession = {
      user: verified.user,
      sessionId: verified.sessionId,
      expiresAt: verified.expiresAt,
    };
    session.expiryTimer = setTimeout(
      () => this.endSocket(socket, 'AUTH_TOKEN_EXPIRED', 'Your session token has expired: renew it or sign in again.'),
      Math.min(MAX_TIMER_MS, Math.max(0, verified.expiresAt - Date.now())),
    );
    session.expiryTimer.unref?.();
    socket.data.session = session;
    socket.data.user = verified.user;
    if (verified.user.roles.some((r) => CENTRE.has(r))) void socket.join(CENTRE_ROOM);
    else void socket.leave(CENTRE_ROOM);
    if (verified.user.roles.some((r) => CUSTOMS_WATCHERS.has(r))) void socket.join(CUSTOMS_ROOM);
    else void socket.leave(CUSTOMS_ROOM);
    // A seller's socket is in its tenant's room only: seller events go there, never to the floor's rooms.
    if (verified.user.sellerCode) void socket.join(sellerRoom(verified.user.sellerCode));
  }

  private endSocket(socket: Socket, code: string, message: string): void {
    clearTimeout((socket.data.session as SocketSession | undefined)?.expiryTimer);
    socket.data.user = undefined;
    socket.emit(ServerToClient.error, { code, message });
    socket.disconnect(true);
  }

  @SubscribeMessage(ClientToServer.watchStation)
  watch(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    const user = socket.data.user as AuthenticatedUser | undefined;
    if (!user) return { ok: false, code: 'AUTH_REQUIRED', message: 'Sign in first.' };
    const parsed = watchStationSchema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        code: 'VALIDATION_FAILED',
        message: 'send { "stationId": "<station id>" } or { "stationId": "*" }',
      };
    }
    if (!user.roles.some((r) => CENTRE.has(r)))
      return {
        ok: false,
        code: 'FORBIDDEN',
        message: 'stations are the centre’s floor: a seller’s screen gets its own seller’s news only',
      };
    const room = stationRoom(parsed.data.stationId);
    const watched = [...socket.rooms].filter((r) => r.startsWith(stationRoom('')));
    if (!socket.rooms.has(room) && watched.length >= MAX_WATCHED_STATIONS) {
      return {
        ok: false,
        code: 'TOO_MANY_STATIONS',
        message: `one screen watches at most ${MAX_WATCHED_STATIONS} stations: unwatch one first, or watch "*"`,
      };
    }
    void socket.join(room);
    this.logger.debug?.({ msg: 'watching', user: user.username, stationId: parsed.data.stationId });
    return { ok: true, stationId: parsed.data.stationId };
  }

  @SubscribeMessage(ClientToServer.unwatchStation)
  unwatch(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    const parsed = watchStationSchema.safeParse(body);
    if (!parsed.success)
      return { ok: false, code: 'VALIDATION_FAILED', message: 'send { "stationId": "<station id>" }' };
    void socket.leave(stationRoom(parsed.data.stationId));
    return { ok: true };
  }
}
