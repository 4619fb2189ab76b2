import type { ServiceHandlers } from './model';
import type { RestRoute } from './protocols/rest-json';
import type { ProtocolName, ServiceDefinition } from './protocols/types';
import { handlers as iamHandlers } from './services/iam';
import { handlers as stsHandlers } from './services/sts';

interface ServiceSpec {
  signingName: string;
  displayName: string;
  protocol: ProtocolName;
  xmlNamespace?: string;
  apiVersion?: string;
  globalRegion?: string;
  /** Handlers from a module under services/, loaded when the sandbox starts. */
  module: string;
}

const GLOBAL = 'us-east-1';

const SPECS: ServiceSpec[] = [
  { signingName: 'iam', displayName: 'IAM', protocol: 'query', xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/', apiVersion: '2010-05-08', globalRegion: GLOBAL, module: 'iam' },
  { signingName: 'sts', displayName: 'STS', protocol: 'query', xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/', apiVersion: '2011-06-15', module: 'sts' },
  { signingName: 'ec2', displayName: 'EC2', protocol: 'ec2', apiVersion: '2016-11-15', module: 'ec2' },
  { signingName: 'cloudtrail', displayName: 'CloudTrail', protocol: 'json', module: 'cloudtrail' },
  { signingName: 'ce', displayName: 'CostExplorer', protocol: 'json', globalRegion: GLOBAL, module: 'cost-explorer' },
  { signingName: 'organizations', displayName: 'Organizations', protocol: 'json', globalRegion: GLOBAL, module: 'organizations' },
  { signingName: 'account', displayName: 'Account', protocol: 'rest-json', globalRegion: GLOBAL, module: 'account' },
  { signingName: 'lambda', displayName: 'Lambda', protocol: 'rest-json', module: 'lambda' },
];

/** The modules this file owns are imported statically; the others are loaded by name (see below). */
const STATIC_MODULES: Record<string, { handlers: ServiceHandlers; routes?: RestRoute[] }> = {
  iam: { handlers: iamHandlers },
  sts: { handlers: stsHandlers },
};

/**
 * Service modules owned by another engineer are loaded by name, so the sandbox runs (answering
 * UnknownOperation for that service) while one of them has not landed yet. A module that exists but
 * fails to load is a real error and is thrown.
 */
function loadModule(name: string): { handlers: ServiceHandlers; routes: RestRoute[] } {
  const known = STATIC_MODULES[name];
  if (known) return { handlers: known.handlers, routes: known.routes ?? [] };
  let mod: { handlers?: unknown; routes?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional module, see above
    mod = require(`./services/${name}`) as typeof mod;
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    if (e && e.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`services/${name}'`)) {
      return { handlers: {}, routes: [] };
    }
    throw err;
  }
  const handlers = (mod.handlers && typeof mod.handlers === 'object' ? mod.handlers : {}) as ServiceHandlers;
  const routes = Array.isArray(mod.routes) ? (mod.routes as RestRoute[]) : [];
  return { handlers, routes };
}

export function loadServices(): Map<string, ServiceDefinition> {
  const out = new Map<string, ServiceDefinition>();
  for (const spec of SPECS) {
    const { module, ...rest } = spec;
    out.set(spec.signingName, { ...rest, ...loadModule(module) });
  }
  return out;
}
