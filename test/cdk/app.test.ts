import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import RECOMMENDED_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { createContractsApp } from '../../lib/app';
import { DeploymentSettingsError } from '../../lib/settings';
import { CDK_JSON_CONTEXT } from './cdk-json';

/**
 * The wiring of bin/app.ts, on apps of their own: these need no bundles, so the functions
 * get inline code here (the one place that test-only option is used). The template
 * itself is checked in omakase-contracts-stack.test.ts, against real bundles.
 */
const inlineCode = Code.fromInline('exports.handler = async () => {};');
const outdirs: string[] = [];
const outdir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omakase-cdk-app-'));
  outdirs.push(dir);
  return dir;
};
afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('createContractsApp', () => {
  it('runs cdk-nag AwsSolutions on synth: an unacknowledged finding stops it', () => {
    const { app, stack } = createContractsApp({ appProps: { outdir: outdir() }, functionCode: inlineCode });
    new Queue(stack, 'PlainQueue', { encryption: QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('cdk.json pins every feature flag this aws-cdk-lib recommends (an upgrade that adds one fails here until it is decided)', () => {
    const missing = Object.keys(RECOMMENDED_FLAGS).filter((flag) => !(flag in CDK_JSON_CONTEXT));
    expect(missing).toEqual([]);
  });

  it('stops before building anything when the context is bad', () => {
    expect(() =>
      createContractsApp({ appProps: { outdir: outdir(), context: { tariffOverrides: '{"prices":{"cloudProxy":-1}}' } }, functionCode: inlineCode }),
    ).toThrow(DeploymentSettingsError);
  });
});
