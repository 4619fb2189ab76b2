/**
 * A stand-in AWS endpoint on 127.0.0.1 that records every request and answers each with AWS's
 * InternalFailure: point AWS_ENDPOINT_URL at it, and any AWS call the app makes is counted here
 * (and fails), instead of reaching anything real.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedAwsCall {
  method: string;
  path: string;
  /** X-Amz-Target (JSON protocols) or the Action form field (query protocols), when present. */
  operation?: string;
}

export class AwsRecorder {
  readonly calls: RecordedAwsCall[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<AwsRecorder> {
    let recorder: AwsRecorder | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const target = req.headers['x-amz-target'];
        const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
        const operation = typeof target === 'string' ? target : action;
        recorder?.calls.push({ method: req.method ?? '?', path: req.url ?? '/', ...(operation ? { operation } : {}) });
        res.writeHead(500, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse><Error><Code>InternalFailure</Code><Message>aws recorder</Message></Error></ErrorResponse>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    recorder = new AwsRecorder(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return recorder;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
