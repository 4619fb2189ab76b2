/** The parts of a SigV4 Authorization header the sandbox needs: who signed, for which region/service. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export class SigV4ParseError extends Error {
  readonly code = 'sigv4_parse_error';
  constructor(
    readonly failure: 'missing' | 'incomplete',
    message: string,
  ) {
    super(message);
    this.name = 'SigV4ParseError';
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/iam/aws4_request, SignedHeaders=…,
 * Signature=…` strictly, with AWS's own wording for what is missing.
 */
export function parseAuthorization(header: string | undefined): SigV4Authorization {
  if (!header || header.trim() === '') {
    throw new SigV4ParseError('missing', 'Request is missing Authentication Token');
  }
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    throw new SigV4ParseError('incomplete', `Unsupported authorization type; only ${ALGORITHM} is accepted.`);
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((f) => !fields.get(f));
  if (missing.length > 0) {
    throw new SigV4ParseError('incomplete', `${missing.map((f) => `Authorization header requires '${f}' parameter.`).join(' ')} Authorization=${ALGORITHM}`);
  }
  const scope = fields.get('Credential')!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1]!) || scope.some((s) => s === '')) {
    throw new SigV4ParseError(
      'incomplete',
      `Credential should be scoped to a valid region and service, like 'AKID/YYYYMMDD/region/service/aws4_request'. Got '${scope.slice(1).join('/')}'.`,
    );
  }
  const signature = fields.get('Signature')!;
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw new SigV4ParseError('incomplete', 'Signature must be 64 lowercase hexadecimal characters.');
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: fields.get('SignedHeaders')!.split(';'),
    signature,
  };
}
