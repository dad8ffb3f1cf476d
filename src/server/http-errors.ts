// Every error the HTTP server answers with, in one place: stable codes, statuses and messages,
// plus the not-found and error handlers that turn them into the JSON body of ApiErrorSchema.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { ApiError } from './api-schema.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** Longest path name a URL may carry, in the path (/api/v1/paths/NAME) or in ?path=: 414 beyond. */
export const MAX_PARAM_LENGTH = 512;

/** The server's error codes. Clients may match on `code`; messages may change. */
export const HTTP_ERRORS = {
  routeNotFound: { statusCode: 404, code: 'PP_HTTP_NOT_FOUND', message: 'no such route' },
  pathNotFound: { statusCode: 404, code: 'PP_PATH_NOT_FOUND', message: 'no such path in the catalog' },
  badRequest: { statusCode: 400, code: 'PP_HTTP_BAD_REQUEST', message: 'bad request' },
  uriTooLong: { statusCode: 414, code: 'PP_HTTP_URI_TOO_LONG', message: 'URL parameter too long' },
  payloadTooLarge: { statusCode: 413, code: 'PP_HTTP_PAYLOAD_TOO_LARGE', message: 'request body too large' },
  headersTooLarge: { statusCode: 431, code: 'PP_HTTP_HEADERS_TOO_LARGE', message: 'request headers too large' },
  requestTimeout: { statusCode: 408, code: 'PP_HTTP_REQUEST_TIMEOUT', message: 'the request did not arrive in time' },
  malformedRequest: { statusCode: 400, code: 'PP_HTTP_BAD_REQUEST', message: 'malformed HTTP request' },
  internal: { statusCode: 500, code: 'PP_HTTP_INTERNAL', message: 'internal error (see the agent log)' },
} as const satisfies Record<string, ApiError>;

/** One of HTTP_ERRORS. */
export type HttpErrorName = keyof typeof HTTP_ERRORS;

/** Sends one of HTTP_ERRORS as JSON, with an optional more specific message. */
export function sendError(reply: FastifyReply, name: HttpErrorName, message?: string): FastifyReply {
  const e = HTTP_ERRORS[name];
  const body: ApiError = { statusCode: e.statusCode, code: e.code, message: message ?? e.message };
  return reply.code(e.statusCode).type('application/json; charset=utf-8').send(body);
}

/** Installs the JSON 404 handler and the error handler on the root instance. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    // The method and URL come from the client: they go in the message body, never in a label.
    const url = (request.url.split('?')[0] ?? '').slice(0, 200);
    sendError(reply, 'routeNotFound', `no route for ${request.method} ${url}`);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      sendError(reply, 'badRequest', error.message);
    } else if (error.statusCode === 413) {
      sendError(reply, 'payloadTooLarge');
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      sendError(reply, 'badRequest', error.message);
    } else {
      request.log.error({ err: error, url: request.url }, 'request failed');
      sendError(reply, 'internal');
    }
  });
}

/**
 * Fastify's `frameworkErrors` option: errors raised while routing (a bad URL, an over-long
 * parameter), before any hook runs — so the security headers are set here too.
 */
export function frameworkErrorHandler(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') sendError(reply, 'uriTooLong');
  else if (error.statusCode !== undefined && error.statusCode < 500) sendError(reply, 'badRequest', 'malformed URL');
  else sendError(reply, 'internal');
}

/**
 * Fastify's `clientErrorHandler`: Node.js's HTTP parser rejected the request before any route or
 * hook saw it (headers over the size limit, a request that did not arrive in time, bytes that are
 * not HTTP). The answer is the same JSON error, with the same security headers, as every other
 * one; the connection is then closed, as the parser's state is lost.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection is already gone: nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const name: HttpErrorName = error.code === 'HPE_HEADER_OVERFLOW' ? 'headersTooLarge'
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'requestTimeout' : 'malformedRequest';
  const e = HTTP_ERRORS[name];
  const body = JSON.stringify({ statusCode: e.statusCode, code: e.code, message: e.message } satisfies ApiError);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  // Closed once written (under 1 KiB: it fits the socket's buffer), whether or not the client
  // reads or closes its side; the server's connection timeout bounds the rest.
  socket.write(`HTTP/1.1 ${e.statusCode} ${STATUS_CODES[e.statusCode]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${headers}connection: close\r\n\r\n${body}`,
    () => socket.destroy());
}
