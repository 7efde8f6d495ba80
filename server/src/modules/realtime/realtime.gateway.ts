import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { ClientToServer, REALTIME_NAMESPACE, ServerToClient, watchStationSchema } from '@wms/contracts';
import type { Namespace, Socket } from 'socket.io';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { TokenService } from '../../platform/auth/token.service.js';
import { DomainEvents } from '../../platform/events/domain-events.js';

const stationRoom = (stationId: string) => `station:${stationId}`;
const ALL_STATIONS = stationRoom('*');

/** Live screens: domain events after commit, fanned out by station room. */
@WebSocketGateway({ namespace: REALTIME_NAMESPACE })
export class RealtimeGateway implements OnGatewayInit, OnModuleInit, OnModuleDestroy {
  @WebSocketServer() private readonly namespace!: Namespace;
  private readonly logger = new Logger('realtime');
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly tokens: TokenService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.events.on('scan.recorded', (scan) => {
        this.namespace?.to([stationRoom(scan.stationId), ALL_STATIONS]).emit(ServerToClient.scanRecorded, scan);
      }),
      this.events.on('weight.recorded', (weight) => {
        this.namespace?.to([stationRoom(weight.stationId), ALL_STATIONS]).emit(ServerToClient.weightRecorded, weight);
      }),
      this.events.on('device.statusChanged', (status) => {
        this.namespace?.to([stationRoom(status.stationId), ALL_STATIONS]).emit(ServerToClient.deviceStatus, status);
      }),
      this.events.on('agent.presenceChanged', (presence) => {
        this.namespace?.emit(ServerToClient.agentPresence, presence);
      }),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  /**
   * Authentication runs as socket.io middleware, before the connection exists: no message can
   * arrive from a socket whose token has not been checked.
   */
  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : '';
      this.tokens
        .verify(token)
        .then((user) => {
          socket.data.user = user;
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
    void socket.join(stationRoom(parsed.data.stationId));
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
