import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { ServerToClient } from '@wms/contracts';
import type { Socket } from 'socket.io';
import { AppError } from '../../platform/http/app-error.js';

/**
 * A live-socket message that fails (the request check of every input refuses a NUL, say) is
 * answered like any other refusal, `{ ok: false, code, message }`, through the message's own
 * acknowledgement — not Nest's generic "exception" event that a screen waiting for the answer
 * never reads.
 */
@Catch()
export class LiveErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('realtime');

  catch(exception: unknown, host: ArgumentsHost): void {
    const answer =
      exception instanceof AppError
        ? { ok: false, code: exception.code, message: exception.message }
        : { ok: false, code: 'INTERNAL', message: 'The server could not handle this message; it has been logged.' };
    if (!(exception instanceof AppError))
      this.logger.error({ msg: 'live message failed', error: String(exception), stack: (exception as Error)?.stack });
    // socket.io handlers are called with (socket, data, ack)
    const ack = host.getArgByIndex(2);
    if (typeof ack === 'function') ack(answer);
    else host.switchToWs().getClient<Socket>().emit(ServerToClient.error, answer);
  }
}
