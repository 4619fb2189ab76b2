/**
 * The services the sandbox speaks, keyed by SigV4 signing name: how each is spoken on the wire
 * (protocol, namespace, version), where its global events land, and the module answering it.
 */
import type { ServiceDefinition } from './protocols/types';
import { handlers as accountHandlers, routes as accountRoutes } from './services/account';
import { handlers as athenaHandlers } from './services/athena';
import { handlers as cloudtrailHandlers } from './services/cloudtrail';
import { handlers as costExplorerHandlers } from './services/cost-explorer';
import { handlers as ec2Handlers } from './services/ec2';
import { handlers as iamHandlers } from './services/iam';
import { handlers as lambdaHandlers, routes as lambdaRoutes } from './services/lambda';
import { handlers as configHandlers } from './services/config';
import { handlers as guardDutyHandlers, routes as guardDutyRoutes } from './services/guardduty';
import { handlers as organizationsHandlers } from './services/organizations';
import { handlers as rdsHandlers } from './services/rds';
import { handlers as s3Handlers, parseS3Request } from './services/s3';
import { handlers as sesHandlers } from './services/ses';
import { handlers as sesV2Handlers, routes as sesV2Routes } from './services/sesv2';
import { handlers as stsHandlers } from './services/sts';

const GLOBAL = 'us-east-1';

const SERVICES: ServiceDefinition[] = [
  {
    signingName: 'iam',
    displayName: 'IAM',
    protocol: 'query',
    xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
    apiVersion: '2010-05-08',
    globalRegion: GLOBAL,
    handlers: iamHandlers,
    routes: [],
  },
  {
    signingName: 'sts',
    displayName: 'STS',
    protocol: 'query',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    apiVersion: '2011-06-15',
    handlers: stsHandlers,
    routes: [],
  },
  { signingName: 'ec2', displayName: 'EC2', protocol: 'ec2', apiVersion: '2016-11-15', handlers: ec2Handlers, routes: [] },
  { signingName: 'cloudtrail', displayName: 'CloudTrail', protocol: 'json', handlers: cloudtrailHandlers, routes: [] },
  { signingName: 'ce', displayName: 'CostExplorer', protocol: 'json', globalRegion: GLOBAL, handlers: costExplorerHandlers, routes: [] },
  { signingName: 'organizations', displayName: 'Organizations', protocol: 'json', globalRegion: GLOBAL, handlers: organizationsHandlers, routes: [] },
  { signingName: 'account', displayName: 'Account', protocol: 'rest-json', globalRegion: GLOBAL, handlers: accountHandlers, routes: accountRoutes },
  { signingName: 'lambda', displayName: 'Lambda', protocol: 'rest-json', handlers: lambdaHandlers, routes: lambdaRoutes },
  { signingName: 's3', displayName: 'S3', protocol: 'rest-xml', handlers: s3Handlers, routes: [], parseRequest: parseS3Request },
  {
    signingName: 'rds',
    displayName: 'RDS',
    protocol: 'query',
    xmlNamespace: 'http://rds.amazonaws.com/doc/2014-10-31/',
    apiVersion: '2014-10-31',
    handlers: rdsHandlers,
    routes: [],
  },
  {
    signingName: 'ses',
    displayName: 'SES',
    protocol: 'query',
    xmlNamespace: 'http://ses.amazonaws.com/doc/2010-12-01/',
    apiVersion: '2010-12-01',
    handlers: sesHandlers,
    routes: [],
    // SES v2 signs as `ses` too; its REST-JSON API lives under /v2/.
    variants: [
      {
        signingName: 'ses',
        displayName: 'SESv2',
        protocol: 'rest-json',
        handlers: sesV2Handlers,
        routes: sesV2Routes,
        accepts: (req) => req.path.startsWith('/v2/'),
      },
    ],
  },
  { signingName: 'guardduty', displayName: 'GuardDuty', protocol: 'rest-json', handlers: guardDutyHandlers, routes: guardDutyRoutes },
  { signingName: 'config', displayName: 'ConfigService', protocol: 'json', handlers: configHandlers, routes: [] },
  { signingName: 'athena', displayName: 'Athena', protocol: 'json', handlers: athenaHandlers, routes: [] },
];

/** A fresh copy per sandbox, so one sandbox's services are never another's. */
export function sandboxServices(): Map<string, ServiceDefinition> {
  return new Map(SERVICES.map((s) => [s.signingName, { ...s }]));
}
