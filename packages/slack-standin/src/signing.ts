/**
 * Slack's request signing (v0): HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the app's signing
 * secret, sent as `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp: <seconds>`.
 */
import { createHmac, randomBytes } from 'node:crypto';

export function signRequest(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

/** A fresh secret per local run: nothing to configure and nothing worth stealing. */
export function generateSigningSecret(): string {
  return randomBytes(32).toString('hex');
}

export function generateBotToken(): string {
  return `xoxb-local-${randomBytes(12).toString('hex')}`;
}
