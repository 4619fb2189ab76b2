/**
 * AWS Config (JSON 1.1, StarlingDoveService): configuration recorders and delivery channels — one of
 * each per region — which an attacker stops or deletes so their changes are not recorded.
 */
import { SandboxError, type ConfigRecorder, type DeliveryChannel, type OperationContext, type RegionState, type ServiceHandlers } from '../model';
import { enabledRegion } from './region-guard';
import { bool, record, str, strings } from './service-input';

const configRegion = (ctx: OperationContext): RegionState =>
  enabledRegion(ctx, { unknown: ['UnrecognizedClientException', 403], notOptedIn: ['UnrecognizedClientException', 403] });

function recorderOf(ctx: OperationContext, region: RegionState): ConfigRecorder {
  const name = str(ctx.params.ConfigurationRecorderName);
  const recorder = region.configRecorders.find((r) => r.name === name);
  if (!recorder) throw new SandboxError('NoSuchConfigurationRecorderException', `Cannot find configuration recorder with the specified name '${name ?? ''}'.`);
  return recorder;
}

function recorderJson(r: ConfigRecorder) {
  return {
    name: r.name,
    roleARN: r.roleARN,
    recordingGroup: { allSupported: r.allSupported, includeGlobalResourceTypes: r.includeGlobalResourceTypes, resourceTypes: r.resourceTypes },
  };
}

function unknownNames(kind: string, names: string[], known: string[]): void {
  const missing = names.filter((n) => !known.includes(n));
  if (missing.length === 0) return;
  if (kind === 'recorder')
    throw new SandboxError('NoSuchConfigurationRecorderException', `Cannot find configuration recorder with the specified name '${missing[0]}'.`);
  throw new SandboxError('NoSuchDeliveryChannelException', `Cannot find delivery channel with specified name '${missing[0]}'.`);
}

function describeConfigurationRecorders(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const names = strings(ctx.params.ConfigurationRecorderNames);
  unknownNames(
    'recorder',
    names,
    region.configRecorders.map((r) => r.name),
  );
  return { ConfigurationRecorders: region.configRecorders.filter((r) => names.length === 0 || names.includes(r.name)).map(recorderJson) };
}

function describeConfigurationRecorderStatus(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const names = strings(ctx.params.ConfigurationRecorderNames);
  unknownNames(
    'recorder',
    names,
    region.configRecorders.map((r) => r.name),
  );
  return {
    ConfigurationRecordersStatus: region.configRecorders
      .filter((r) => names.length === 0 || names.includes(r.name))
      .map((r) => ({
        name: r.name,
        lastStartTime: r.lastStartTime,
        lastStopTime: r.lastStopTime,
        recording: r.recording,
        lastStatus: r.recording ? 'SUCCESS' : 'PENDING',
        lastStatusChangeTime: r.recording ? r.lastStartTime : r.lastStopTime,
      })),
  };
}

function putConfigurationRecorder(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const input = record(ctx.params.ConfigurationRecorder);
  const name = str(input.name) ?? 'default';
  const roleARN = str(input.roleARN);
  if (!roleARN) throw new SandboxError('InvalidRoleException', 'The role ARN is not valid.');
  const group = record(input.recordingGroup);
  const existing = region.configRecorders.find((r) => r.name === name);
  if (!existing && region.configRecorders.length > 0) {
    throw new SandboxError(
      'MaxNumberOfConfigurationRecordersExceededException',
      'Failed to put configuration recorder because you have reached the limit for the maximum number of customer managed configuration records: (1)',
    );
  }
  const recorder: ConfigRecorder = {
    name,
    roleARN,
    allSupported: bool(group.allSupported) ?? true,
    includeGlobalResourceTypes: bool(group.includeGlobalResourceTypes) ?? false,
    resourceTypes: strings(group.resourceTypes),
    recording: existing?.recording ?? false,
    lastStartTime: existing?.lastStartTime,
    lastStopTime: existing?.lastStopTime,
  };
  region.configRecorders = [...region.configRecorders.filter((r) => r.name !== name), recorder];
  return {};
}

function startConfigurationRecorder(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const recorder = recorderOf(ctx, region);
  if (region.deliveryChannels.length === 0) {
    throw new SandboxError('NoAvailableDeliveryChannelException', 'Delivery channel is not available to start configuration recorder.');
  }
  recorder.recording = true;
  recorder.lastStartTime = ctx.now;
  return {};
}

function stopConfigurationRecorder(ctx: OperationContext): unknown {
  const recorder = recorderOf(ctx, configRegion(ctx));
  recorder.recording = false;
  recorder.lastStopTime = ctx.now;
  return {};
}

function deleteConfigurationRecorder(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const recorder = recorderOf(ctx, region);
  region.configRecorders = region.configRecorders.filter((r) => r !== recorder);
  return {};
}

function channelJson(c: DeliveryChannel) {
  return {
    name: c.name,
    s3BucketName: c.s3BucketName,
    s3KeyPrefix: c.s3KeyPrefix,
    snsTopicARN: c.snsTopicARN,
    configSnapshotDeliveryProperties: c.deliveryFrequency ? { deliveryFrequency: c.deliveryFrequency } : undefined,
  };
}

function describeDeliveryChannels(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const names = strings(ctx.params.DeliveryChannelNames);
  unknownNames(
    'channel',
    names,
    region.deliveryChannels.map((c) => c.name),
  );
  return { DeliveryChannels: region.deliveryChannels.filter((c) => names.length === 0 || names.includes(c.name)).map(channelJson) };
}

function putDeliveryChannel(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const input = record(ctx.params.DeliveryChannel);
  const name = str(input.name) ?? 'default';
  const bucket = str(input.s3BucketName);
  if (!bucket) throw new SandboxError('NoSuchBucketException', 'Cannot find a S3 bucket with an empty bucket name.');
  if (!region.deliveryChannels.some((c) => c.name === name) && region.deliveryChannels.length > 0) {
    throw new SandboxError(
      'MaxNumberOfDeliveryChannelsExceededException',
      'Failed to put delivery channel because the maximum number of delivery channels: 1 is reached.',
    );
  }
  const channel: DeliveryChannel = {
    name,
    s3BucketName: bucket,
    s3KeyPrefix: str(input.s3KeyPrefix),
    snsTopicARN: str(input.snsTopicARN),
    deliveryFrequency: str(record(input.configSnapshotDeliveryProperties).deliveryFrequency),
  };
  region.deliveryChannels = [...region.deliveryChannels.filter((c) => c.name !== name), channel];
  return {};
}

function deleteDeliveryChannel(ctx: OperationContext): unknown {
  const region = configRegion(ctx);
  const name = str(ctx.params.DeliveryChannelName);
  const channel = region.deliveryChannels.find((c) => c.name === name);
  if (!channel) throw new SandboxError('NoSuchDeliveryChannelException', `Cannot find delivery channel with specified name '${name ?? ''}'.`);
  if (region.configRecorders.some((r) => r.recording)) {
    throw new SandboxError(
      'LastDeliveryChannelDeleteFailedException',
      `Failed to delete last specified delivery channel with name '${channel.name}', because there is a running configuration recorder.`,
    );
  }
  region.deliveryChannels = region.deliveryChannels.filter((c) => c !== channel);
  return {};
}

export const handlers: ServiceHandlers = {
  DescribeConfigurationRecorders: describeConfigurationRecorders,
  DescribeConfigurationRecorderStatus: describeConfigurationRecorderStatus,
  PutConfigurationRecorder: putConfigurationRecorder,
  StartConfigurationRecorder: startConfigurationRecorder,
  StopConfigurationRecorder: stopConfigurationRecorder,
  DeleteConfigurationRecorder: deleteConfigurationRecorder,
  DescribeDeliveryChannels: describeDeliveryChannels,
  PutDeliveryChannel: putDeliveryChannel,
  DeleteDeliveryChannel: deleteDeliveryChannel,
};
