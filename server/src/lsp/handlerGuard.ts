// Wraps every LSP handler so an exception (sync or async) is logged once and answered with a fallback, never fatal.
import type { ServerLogger } from './serverLogger';

export function guardRequest<P, R, T extends unknown[]>(
  logger: ServerLogger,
  method: string,
  fallback: R,
  handler: (params: P, ...rest: T) => R | Promise<R>,
): (params: P, ...rest: T) => Promise<R> {
  return async (params: P, ...rest: T) => {
    try {
      return await handler(params, ...rest);
    } catch (error) {
      logger.once(`handler:${method}:${errorKey(error)}`, 'error', `${method} failed`, error);
      return fallback;
    }
  };
}

export function guardNotification<P>(
  logger: ServerLogger,
  method: string,
  handler: (params: P) => void | Promise<void>,
): (params: P) => void {
  return (params: P) => {
    try {
      const result = handler(params);
      if (result instanceof Promise) {
        result.catch((error: unknown) =>
          logger.once(`handler:${method}:${errorKey(error)}`, 'error', `${method} failed`, error),
        );
      }
    } catch (error) {
      logger.once(`handler:${method}:${errorKey(error)}`, 'error', `${method} failed`, error);
    }
  };
}

function errorKey(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
