// Opens TCP connections and upgrades them to TLS, both cancelled by the probe's signal, for the
// tcp and http probers. Failures reject with the raw error; the caller classifies by stage.
import net from 'node:net';
import tls from 'node:tls';
import { shedOnClose } from './shed.js';

/** Connects to `address:port`; rejects with the OS error, or with the signal's reason on abort. */
export function openTcp(address: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const socket = net.connect({ host: address, port });
    shedOnClose(socket);
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      resolve(socket);
    });
    const onError = (error: Error): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
  });
}

/** TLS settings for one handshake. */
export interface TlsHandshakeOptions {
  /** SNI and the name the certificate must carry; undefined for an IP target (checked against `host`). */
  servername?: string;
  /** The address connected to (used for the identity check when there is no servername). */
  host: string;
  ca?: Buffer;
  rejectUnauthorized: boolean;
}

/** Runs a TLS client handshake over a connected socket; rejects with the TLS error or the abort reason. */
export function upgradeTls(socket: net.Socket, options: TlsHandshakeOptions, signal: AbortSignal): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      socket.destroy();
      return reject(signal.reason);
    }
    const secure = tls.connect({
      socket,
      host: options.host,
      ...(options.servername ? { servername: options.servername } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: options.rejectUnauthorized,
      ALPNProtocols: ['http/1.1'],
    });
    shedOnClose(secure);
    const onAbort = (): void => {
      secure.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const onError = (error: Error): void => {
      signal.removeEventListener('abort', onAbort);
      secure.destroy();
      reject(error);
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      secure.removeListener('error', onError);
      resolve(secure);
    });
  });
}
