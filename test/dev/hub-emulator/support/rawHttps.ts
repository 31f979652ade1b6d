import * as https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { createSharedAccessSignature } from '../../../../dev/hub-emulator/http/auth';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  port: number;
  ca: string | Buffer;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTPS request to the emulator, for the wire-level checks where raw HTTP is the point. */
export function rawRequest(request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(
      {
        host: '127.0.0.1',
        port: request.port,
        servername: 'localhost',
        ca: request.ca,
        method: request.method,
        path: request.path,
        headers: { host: 'localhost', ...request.headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** A SAS for `localhost` with the given key, valid for an hour unless told otherwise. */
export function sasFor(key: string, expiresInSeconds = 3600, resource = 'localhost'): string {
  return createSharedAccessSignature({
    resource,
    policyName: 'iothubowner',
    key,
    expiresAtSeconds: Math.ceil(Date.now() / 1000) + expiresInSeconds,
  });
}

/** The inner error of a current-format body: `{ errorCode, trackingId, message, timestampUtc }`. */
export function innerError(text: string): { errorCode: number; message: string } {
  const outer = JSON.parse(text) as { Message: string };
  return JSON.parse(outer.Message) as { errorCode: number; message: string };
}
