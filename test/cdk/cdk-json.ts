import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The context the CDK CLI hands the app from cdk.json (the feature flags among it), so
 * that the templates these tests check are the ones `cdk synth` and `cdk deploy` make.
 */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
